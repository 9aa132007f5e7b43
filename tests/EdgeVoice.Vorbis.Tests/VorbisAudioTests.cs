namespace EdgeVoice.Vorbis.Tests;

public sealed class VorbisAudioTests
{
    [Fact]
    public void StereoFileSplitsIntoChannels()
    {
        VorbisAudio audio = VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, "chirp22k_stereo_q3.ogg"));
        Assert.Equal(2, audio.Channels);
        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(5512, audio.FrameCount);
        Assert.Equal(5512.0 / 22050, audio.Duration.TotalSeconds, 6);
        float[] left = audio.GetChannel(0);
        float[] right = audio.GetChannel(1);
        Assert.Equal(audio.Interleaved[2 * 100], left[100]);
        Assert.Equal(audio.Interleaved[(2 * 100) + 1], right[100]);
        Assert.Throws<ArgumentOutOfRangeException>(() => audio.GetChannel(2));
    }

    [Fact]
    public void SilenceDecodesToNearZero()
    {
        VorbisAudio audio = VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, "silence16k_q4.ogg"));
        Assert.Equal(16000, audio.FrameCount);
        Assert.All(audio.Interleaved, s => Assert.True(Math.Abs(s) < 1e-4));
    }

    [Fact]
    public void ToneKeepsItsLevel()
    {
        // sine 440 Hz at -3 dBFS: peak about 0.708.
        VorbisAudio audio = VorbisFile.Decode(Path.Combine(TestFiles.DataDirectory, "tone16k_q4.ogg"));
        float peak = audio.Interleaved.Skip(1000).Take(14000).Max(Math.Abs);
        Assert.InRange(peak, 0.68f, 0.74f);
    }

    [Fact]
    public void ConstructorChecksItsArguments()
    {
        Assert.Throws<ArgumentException>(() => new VorbisAudio(new float[3], 16000, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VorbisAudio([], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VorbisAudio([], 16000, 0));
    }

    [Fact]
    public void DecodeByPathNamesThePathInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-vorbis-{Guid.NewGuid():N}.ogg");
        try
        {
            File.WriteAllText(path, "this is not audio");
            var error = Assert.Throws<VorbisFormatException>(() => VorbisFile.Decode(path));
            Assert.StartsWith(path + ": not an Ogg stream", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
