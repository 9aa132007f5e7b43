using System.Text;
using System.Text.RegularExpressions;
using EdgeVoice.Asr.Endpointing;

namespace EdgeVoice.Asr.Tests.Endpointing;

public sealed class EndpointingStreamTests
{
    private static readonly TransducerModel Model = TransducerModel.Load(TinyModel.File);

    private static List<EndpointEvent> Run(RecognitionStream stream, float[] signal, int piece = 1600)
    {
        var events = new List<EndpointEvent>();
        for (int i = 0; i < signal.Length; i += piece)
        {
            stream.AcceptAudio(signal.AsSpan(i, Math.Min(piece, signal.Length - i)), 16000);
            while (stream.TryGetEndpointEvent(out EndpointEvent? e))
            {
                events.Add(e);
            }
        }

        stream.InputFinished();
        while (stream.TryGetEndpointEvent(out EndpointEvent? e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Per utterance: (speculative, reset)*, then speculative, an optional reset, final; the last may end at the input's end without a speculative one.</summary>
    private static void AssertProtocol(List<EndpointEvent> events)
    {
        foreach (var utterance in events.GroupBy(e => e.Utterance))
        {
            var kinds = new StringBuilder();
            foreach (EndpointEvent e in utterance)
            {
                kinds.Append(e.Kind switch { EndpointEventKind.SpeculativeEndpoint => 'S', EndpointEventKind.Reset => 'R', _ => 'F' });
            }

            Assert.Matches(new Regex("^(SR)*(SR?)?F$"), kinds.ToString());
        }

        Assert.Equal(Enumerable.Range(0, events.Select(e => e.Utterance).Distinct().Count()), events.Select(e => e.Utterance).Distinct());
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Time <= p.Second.Time));
    }

    [Fact]
    public void Rule_3_splits_a_long_stream_into_fresh_utterances()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch });
        var options = new EndpointingOptions
        {
            Final = new EndpointOptions { MaxUtteranceLength = 1.28, SilenceAfterSpeech = 0, SilenceBeforeSpeech = 0 },
            Speculative = new EndpointOptions { MaxUtteranceLength = 1.28, SilenceAfterSpeech = 0, SilenceBeforeSpeech = 0 },
        };
        using RecognitionStream stream = recognizer.CreateStream(endpointing: options);
        List<EndpointEvent> events = Run(stream, TinyModel.Signal(seconds: 6));
        AssertProtocol(events);
        List<EndpointEvent> finals = events.Where(e => e.Kind == EndpointEventKind.FinalEndpoint).ToList();
        Assert.True(finals.Count >= 4, string.Join("\n", events));
        foreach (EndpointEvent f in finals.Where(f => f.Rule == EndpointRule.MaxUtteranceLength))
        {
            Assert.Equal(32, f.Result.FramesDecoded); // 1.28 s = 4 chunks of 8 frames, then a fresh utterance
            Assert.Equal(f.Utterance * 1.28, f.UtteranceStart, 6);
            Assert.True(f.Result.IsFinal);
            Assert.NotNull(f.Lattice);
        }

        Assert.Equal(finals.Count - (finals[^1].Rule == EndpointRule.InputFinished ? 1 : 0), stream.Utterance);
        using RecognitionStream whole = recognizer.CreateStream();
        Run(whole, TinyModel.Signal(seconds: 6));
        Assert.Equal(whole.FramesDecoded, stream.FramesDecoded); // the whole stream is decoded, across utterances
    }

    [Fact]
    public void Streams_without_end_pointing_raise_no_events_and_are_unchanged()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        float[] signal = TinyModel.Signal(seconds: 3);
        using RecognitionStream plain = recognizer.CreateStream();
        Assert.Empty(Run(plain, signal));
        Assert.Null(plain.Endpointing);

        using RecognitionStream endpointed = recognizer.CreateStream(endpointing: new EndpointingOptions
        {
            Final = new EndpointOptions { SilenceAfterSpeech = 0, SilenceBeforeSpeech = 0, MaxUtteranceLength = 0 },
            Speculative = new EndpointOptions { SilenceAfterSpeech = 0, SilenceBeforeSpeech = 0, MaxUtteranceLength = 0 },
        });
        List<EndpointEvent> events = Run(endpointed, signal);
        Assert.Equal(plain.FinalResult.Text, endpointed.FinalResult.Text);
        Assert.Equal(plain.FinalResult.TokenIds.Count > 0 ? 1 : 0, events.Count); // only the end of input closes it
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(0)]
    public void Decision_steps_smaller_than_the_chunk_decode_the_same_tokens_at_the_same_frames(int decisionFrames)
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions { DecodingMethod = DecodingMethod.ModifiedBeamSearch });
        float[] signal = TinyModel.Signal(seconds: 3);
        using RecognitionStream plain = recognizer.CreateStream();
        Run(plain, signal, piece: 777);
        var off = new EndpointOptions { SilenceAfterSpeech = 0, SilenceBeforeSpeech = 0, MaxUtteranceLength = 0 };
        using RecognitionStream stepped = recognizer.CreateStream(endpointing: new EndpointingOptions { Final = off, Speculative = off, DecisionFrames = decisionFrames });
        Run(stepped, signal, piece: 777);
        Assert.Equal(plain.FramesDecoded, stepped.FramesDecoded);
        Assert.Equal(plain.FinalResult.TokenIds, stepped.FinalResult.TokenIds);
        Assert.Equal(plain.FinalResult.Words.Select(w => (w.StartFrame, w.EndFrame)), stepped.FinalResult.Words.Select(w => (w.StartFrame, w.EndFrame)));
        Assert.Equal(plain.FinalResult.NBest.Select(h => h.Score), stepped.FinalResult.NBest.Select(h => h.Score), (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [Theory]
    [InlineData(-60.0, null)]
    [InlineData(null, 30.0)]
    public void With_an_energy_threshold_a_loud_signal_is_never_silence(double? absoluteDb, double? belowPeakDb)
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        var loud = new EndpointingOptions { SilenceEnergyDb = absoluteDb, SilenceBelowPeakDb = belowPeakDb, Final = new EndpointOptions { MaxUtteranceLength = 0 }, Speculative = new EndpointOptions { MaxUtteranceLength = 0, SilenceAfterSpeech = 0.3, SilenceBeforeSpeech = 2.2 } };
        using RecognitionStream stream = recognizer.CreateStream(endpointing: loud);
        List<EndpointEvent> events = Run(stream, TinyModel.Signal(seconds: 6));
        Assert.DoesNotContain(events, e => e.Rule is EndpointRule.SilenceAfterSpeech or EndpointRule.SilenceBeforeSpeech);

        // On digital silence every frame is quiet, so the energy test changes nothing: the decoder's blanks decide.
        using RecognitionStream quiet = recognizer.CreateStream(endpointing: loud);
        using RecognitionStream blanksOnly = recognizer.CreateStream(endpointing: new EndpointingOptions { Final = loud.Final, Speculative = loud.Speculative });
        var zeros = new float[16000 * 8];
        Assert.Equal(Run(blanksOnly, zeros).Select(e => e.ToString()), Run(quiet, zeros).Select(e => e.ToString()));
    }

    [Fact]
    public void Invalid_end_pointing_options_are_refused_at_stream_creation()
    {
        var recognizer = new Recognizer(Model, new RecognizerOptions());
        var bad = new EndpointingOptions { Speculative = new EndpointOptions { SilenceAfterSpeech = 2 } };
        Assert.Contains("must not fire later", Assert.Throws<ArgumentException>(() => recognizer.CreateStream(endpointing: bad)).Message);
        Assert.Contains("SilenceBelowPeakDb", Assert.Throws<ArgumentException>(() => recognizer.CreateStream(endpointing: new EndpointingOptions { SilenceBelowPeakDb = -3 })).Message);
        Assert.Contains("DecisionFrames", Assert.Throws<ArgumentException>(() => recognizer.CreateStream(endpointing: new EndpointingOptions { DecisionFrames = -1 })).Message);
    }
}
