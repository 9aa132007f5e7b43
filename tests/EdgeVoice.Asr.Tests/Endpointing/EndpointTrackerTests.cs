using EdgeVoice.Asr.Endpointing;

namespace EdgeVoice.Asr.Tests.Endpointing;

public sealed class EndpointTrackerTests
{
    private static string Blanks(int n) => new('.', n);

    [Fact]
    public void Rule_2_speculative_after_8_blank_frames_final_after_13()
    {
        // Defaults: speculative 0.3 s = 7.5 frames -> 8; final 0.5 s = 12.5 frames -> 13. "b" is at frame 2.
        string[] log = new EndpointScript().Play("ab" + Blanks(30)).Log();
        Assert.Equal(["S:ab@10", "F:ab@15/SilenceAfterSpeech"], log);
    }

    [Fact]
    public void Rule_1_ends_an_utterance_in_which_nothing_was_decoded()
    {
        // 2.2 s = 55 frames, 2.4 s = 60 frames of silence with nothing decoded.
        Assert.Equal(["S:@55", "F:@60/SilenceBeforeSpeech"], new EndpointScript().Play(Blanks(70)).Log());
    }

    [Fact]
    public void Rule_3_ends_an_utterance_at_its_maximum_length()
    {
        var options = new EndpointingOptions
        {
            Final = new EndpointOptions { MaxUtteranceLength = 2.0 },
            Speculative = new EndpointOptions { MaxUtteranceLength = 2.0, SilenceAfterSpeech = 0.3 },
        };
        string speech = string.Concat(Enumerable.Repeat("a...", 30)); // a token every 4 frames: never 8 blanks
        string[] log = new EndpointScript(options).Play(speech).Log();
        string first = new('a', 13), second = new('a', 12); // 50 frames each: the second begins mid-pattern
        Assert.Equal(["S:" + first + "@50", "F:" + first + "@50/MaxUtteranceLength", "S:" + second + "@100", "F:" + second + "@100/MaxUtteranceLength"], log);
    }

    [Fact]
    public void Disabled_rules_never_fire()
    {
        var off = new EndpointOptions { SilenceBeforeSpeech = 0, SilenceAfterSpeech = 0, MaxUtteranceLength = 0 };
        Assert.Empty(new EndpointScript(new EndpointingOptions { Final = off, Speculative = off }).Play("ab" + Blanks(600)).Log());
    }

    [Fact]
    public void Speech_resuming_after_a_speculative_end_point_resets_with_the_revised_result()
    {
        string[] log = new EndpointScript().Play("ab" + Blanks(10) + "c" + Blanks(20)).Log();
        Assert.Equal(["S:ab@10", "R:abc@13", "S:abc@21", "F:abc@26/SilenceAfterSpeech"], log);
    }

    [Fact]
    public void A_final_result_that_differs_from_the_speculative_one_is_preceded_by_a_reset()
    {
        var script = new EndpointScript { FinalText = text => text + "!" };
        Assert.Equal(["S:ab@10", "R:ab!@15", "F:ab!@15/SilenceAfterSpeech"], script.Play("ab" + Blanks(20)).Log());
    }

    [Fact]
    public void The_same_words_from_another_path_do_not_reset()
    {
        // After the speculative end-point the best path changes (a token frame moves) but spells the same text.
        static string Drop(string text) => text.Replace("c", "", StringComparison.Ordinal);
        var script = new EndpointScript { PartialText = Drop, FinalText = Drop };
        Assert.Equal(["S:ab@10", "F:ab@25/SilenceAfterSpeech"], script.Play("ab" + Blanks(9) + "c" + Blanks(20)).Log());
    }

    [Fact]
    public void The_stream_continues_with_a_fresh_utterance_after_a_final_end_point()
    {
        var script = new EndpointScript().Play("ab" + Blanks(14) + "xy" + Blanks(14));
        Assert.Equal(["S:ab@10", "F:ab@15/SilenceAfterSpeech", "S:xy@26", "F:xy@31/SilenceAfterSpeech"], script.Log());
        Assert.Equal([0, 0, 1, 1], script.Events.Select(e => e.Utterance));
        Assert.Equal(15 * EndpointScript.FrameDuration, script.Events[3].UtteranceStart, 9);
    }

    [Fact]
    public void The_end_of_input_closes_an_open_utterance_only_when_it_holds_something()
    {
        Assert.Equal(["F:ab@5/InputFinished"], new EndpointScript().Play("ab...").EndInput().Log());
        Assert.Equal(["S:ab@10", "R:ab?@10", "F:ab?@10/InputFinished"],
            new EndpointScript { FinalText = t => t + "?" }.Play("ab" + Blanks(8)).EndInput().Log());
        Assert.Empty(new EndpointScript().Play(Blanks(20)).EndInput().Log());
    }

    [Fact]
    public void Signal_energy_shortens_the_trailing_silence_to_the_quiet_frames()
    {
        var options = EndpointOptions.Final;
        EndpointInput blanks = EndpointInput.FromTokenFlags([true, .. Enumerable.Repeat(false, 20)]);
        Assert.Equal(EndpointRule.SilenceAfterSpeech, options.Detect(blanks, 0.04));
        Assert.Equal(EndpointRule.None, options.Detect(blanks with { TrailingQuietFrames = 3 }, 0.04));
        Assert.Equal(["S:a@9"], new EndpointScript().Play("a" + Blanks(30), quietFrames: 9).Log().Take(1));
        Assert.DoesNotContain(new EndpointScript().Play("a" + Blanks(30), quietFrames: 5).Log(), l => l.StartsWith('F'));
    }

    [Fact]
    public void Resumed_loud_speech_resets_a_speculative_end_point_before_the_decoder_has_new_words()
    {
        // "ab" then a 10-frame hesitation, then 6 loud frames the decoder has no words for yet, then "c" and silence.
        string tokens = "ab" + Blanks(10) + Blanks(6) + "c" + Blanks(20);
        string energy = "LL" + Blanks(10) + "LLLLLL" + "L" + Blanks(20);
        string[] log = new EndpointScript().PlayWithEnergy(tokens, energy).Log();

        // Speculative after 8 quiet frames (frame 10); the 3rd loud frame of the resumed speech is frame 15: Reset with
        // the text so far; then the new word, and the end-pointers run again from the last loud frame (19).
        Assert.Equal(["S:ab@10", "R:ab@15", "S:abc@27", "F:abc@32/SilenceAfterSpeech"], log);
    }

    [Fact]
    public void A_short_loud_burst_or_a_disabled_resume_rule_does_not_reset()
    {
        string tokens = "ab" + Blanks(10) + Blanks(2) + Blanks(20);
        string click = "LL" + Blanks(10) + "LL" + Blanks(20);
        Assert.DoesNotContain(new EndpointScript().PlayWithEnergy(tokens, click).Log(), l => l.StartsWith('R'));

        string speech = "LL" + Blanks(10) + "LL" + Blanks(20).Replace('.', 'L');
        var off = new EndpointingOptions { SpeechResumeFrames = 0 };
        Assert.Equal(["S:ab@10"], new EndpointScript(off).PlayWithEnergy(tokens, speech).Log());
        Assert.Equal(["S:ab@10", "R:ab@15"], new EndpointScript().PlayWithEnergy(tokens, speech).Log());
    }

    [Fact]
    public void Options_report_every_problem_and_state_their_defaults()
    {
        var bad = new EndpointingOptions
        {
            Final = new EndpointOptions { SilenceAfterSpeech = 0.2, MaxUtteranceLength = -1 },
            Speculative = new EndpointOptions { SilenceAfterSpeech = 0.4, SilenceBeforeSpeech = double.NaN },
            SilenceEnergyDb = 3,
            SpeechResumeFrames = -1,
        };
        var error = Assert.Throws<ArgumentException>(bad.Validate);
        foreach (string part in new[] { "Final.MaxUtteranceLength", "Speculative.SilenceBeforeSpeech", "must not fire later", "SilenceEnergyDb", "SpeechResumeFrames" })
        {
            Assert.Contains(part, error.Message);
        }

        EndpointingOptions.Default.Validate();
        Assert.Equal(0.2, EndpointOptions.Final.SilenceAfterSpeech - EndpointOptions.Speculative.SilenceAfterSpeech, 9);
        Assert.Equal(0.2, EndpointOptions.Final.SilenceBeforeSpeech - EndpointOptions.Speculative.SilenceBeforeSpeech, 9);
        Assert.Contains("rule 2 0.5 s", EndpointOptions.Final.ToString());
    }
}
