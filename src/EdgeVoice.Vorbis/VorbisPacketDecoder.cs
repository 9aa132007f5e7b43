using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// Decodes Vorbis audio packets into PCM: floor and residue decode, channel decoupling, floor times residue,
/// inverse MDCT, windowing and overlap-add with the previous block. Each packet returns the samples between
/// the centres of the previous and the current block (none for the first packet).
/// </summary>
internal sealed class VorbisPacketDecoder
{
    private readonly VorbisHeaders _headers;
    private readonly Imdct[] _imdct;
    private readonly float[][] _slopes;
    private readonly float[][] _spectra;
    private readonly float[] _timeDomain;
    private readonly float[][] _previousHalf;
    private readonly int[][] _posts;
    private readonly bool[] _postUsed;
    private readonly bool[] _floorUsed;
    private int _previousSize;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public VorbisPacketDecoder(VorbisHeaders headers)
    {
        _headers = headers;
        int channels = headers.Channels;
        int b0 = headers.BlockSize0;
        int b1 = headers.BlockSize1;
        _imdct = [new Imdct(b0), new Imdct(b1)];
        _slopes = [BuildSlope(b0 / 2), BuildSlope(b1 / 2)];
        _spectra = new float[channels][];
        _previousHalf = new float[channels][];
        _posts = new int[channels][];
        int maxPosts = 2;
        foreach (VorbisFloor1 floor in headers.Floors)
        {
            maxPosts = Math.Max(maxPosts, floor.PostCount);
        }

        for (int c = 0; c < channels; c++)
        {
            _spectra[c] = new float[b1 / 2];
            _previousHalf[c] = new float[b1 / 2];
            _posts[c] = new int[maxPosts];
        }

        _postUsed = new bool[maxPosts];
        _floorUsed = new bool[channels];
        _timeDomain = new float[b1];
    }

    /// <summary>
    /// Decodes one audio packet and appends its finished samples to <paramref name="output"/>; returns how
    /// many samples per channel it produced, or -1 when the packet is not a valid audio packet and was skipped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Decode(byte[] packet, VorbisPcmBuffer output)
    {
        var reader = new VorbisBitReader(packet);
        if (reader.ReadFlag() || reader.EndOfPacket)
        {
            return -1;
        }

        VorbisMode[] modes = _headers.Modes;
        int modeNumber = reader.ReadInt(VorbisMath.ILog(modes.Length - 1));
        if (reader.EndOfPacket || modeNumber >= modes.Length)
        {
            return -1;
        }

        VorbisMode mode = modes[modeNumber];
        int n = mode.LongBlock ? _headers.BlockSize1 : _headers.BlockSize0;
        bool previousLong = false;
        bool nextLong = false;
        if (mode.LongBlock)
        {
            previousLong = reader.ReadFlag();
            nextLong = reader.ReadFlag();
            if (reader.EndOfPacket)
            {
                return -1;
            }
        }

        int half = n / 2;
        int channels = _headers.Channels;
        VorbisMapping mapping = _headers.Mappings[mode.Mapping];

        for (int c = 0; c < channels; c++)
        {
            VorbisFloor1 floor = _headers.Floors[mapping.SubmapFloor[mapping.ChannelSubmap[c]]];
            _floorUsed[c] = floor.DecodePosts(reader, _posts[c]);
        }

        var nonZero = (bool[])_floorUsed.Clone();
        for (int s = 0; s < mapping.CouplingMagnitude.Length; s++)
        {
            int m = mapping.CouplingMagnitude[s];
            int a = mapping.CouplingAngle[s];
            if (nonZero[m] || nonZero[a])
            {
                nonZero[m] = true;
                nonZero[a] = true;
            }
        }

        for (int c = 0; c < channels; c++)
        {
            Array.Clear(_spectra[c], 0, half);
        }

        for (int submap = 0; submap < mapping.SubmapResidue.Length; submap++)
        {
            int count = 0;
            for (int c = 0; c < channels; c++)
            {
                count += mapping.ChannelSubmap[c] == submap ? 1 : 0;
            }

            if (count == 0)
            {
                continue;
            }

            var vectors = new float[count][];
            var doNotDecode = new bool[count];
            int k = 0;
            for (int c = 0; c < channels; c++)
            {
                if (mapping.ChannelSubmap[c] == submap)
                {
                    vectors[k] = _spectra[c];
                    doNotDecode[k] = !nonZero[c];
                    k++;
                }
            }

            _headers.Residues[mapping.SubmapResidue[submap]].Decode(reader, vectors, doNotDecode, half);
        }

        for (int s = mapping.CouplingMagnitude.Length - 1; s >= 0; s--)
        {
            Decouple(_spectra[mapping.CouplingMagnitude[s]], _spectra[mapping.CouplingAngle[s]], half);
        }

        Imdct imdct = _imdct[mode.LongBlock ? 1 : 0];
        int produced = _previousSize == 0 ? 0 : (_previousSize / 4) + (n / 4);
        Span<float> appended = produced > 0 ? output.Append(produced) : [];
        for (int c = 0; c < channels; c++)
        {
            float[] spectrum = _spectra[c];
            if (_floorUsed[c])
            {
                VorbisFloor1 floor = _headers.Floors[mapping.SubmapFloor[mapping.ChannelSubmap[c]]];
                Span<float> curve = _timeDomain.AsSpan(0, half);
                floor.Render(_posts[c], _postUsed, curve);
                for (int i = 0; i < half; i++)
                {
                    spectrum[i] *= curve[i];
                }
            }
            else
            {
                Array.Clear(spectrum, 0, half);
            }

            Span<float> block = _timeDomain.AsSpan(0, n);
            imdct.Inverse(spectrum.AsSpan(0, half), block);
            ApplyWindow(block, n, mode.LongBlock, previousLong, nextLong);
            if (produced > 0)
            {
                OverlapAdd(block, n, _previousHalf[c], _previousSize, appended, c, channels);
            }

            block.Slice(half, half).CopyTo(_previousHalf[c]);
        }

        _previousSize = n;
        return produced;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Decouple(float[] magnitude, float[] angle, int count)
    {
        for (int i = 0; i < count; i++)
        {
            float m = magnitude[i];
            float a = angle[i];
            if (m > 0)
            {
                if (a > 0)
                {
                    angle[i] = m - a;
                }
                else
                {
                    angle[i] = m;
                    magnitude[i] = m + a;
                }
            }
            else
            {
                if (a > 0)
                {
                    angle[i] = m + a;
                }
                else
                {
                    angle[i] = m;
                    magnitude[i] = m - a;
                }
            }
        }
    }

    /// <summary>
    /// Multiplies the block by its window. Each side rises (or falls) over the slope of the smaller of the two
    /// overlapping blocks, centred on the block's quarter point, with zeros outside and ones inside it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyWindow(Span<float> block, int n, bool longBlock, bool previousLong, bool nextLong)
    {
        int shortSize = _headers.BlockSize0;
        bool leftShort = !longBlock || !previousLong;
        bool rightShort = !longBlock || !nextLong;
        float[] left = _slopes[leftShort ? 0 : 1];
        float[] right = _slopes[rightShort ? 0 : 1];
        int leftN = leftShort ? shortSize / 2 : n / 2;
        int rightN = rightShort ? shortSize / 2 : n / 2;
        int leftStart = (n / 4) - (leftN / 2);
        int rightStart = (3 * n / 4) - (rightN / 2);

        block[..leftStart].Clear();
        for (int i = 0; i < leftN; i++)
        {
            block[leftStart + i] *= left[i];
        }

        for (int i = 0; i < rightN; i++)
        {
            block[rightStart + i] *= right[rightN - 1 - i];
        }

        block[(rightStart + rightN)..n].Clear();
    }

    /// <summary>
    /// Writes the samples from the previous block's centre to this block's centre: the previous block's
    /// windowed right half plus this block's windowed left half, aligned on their shared overlap centre.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OverlapAdd(Span<float> block, int n, float[] previousHalf, int previousSize, Span<float> output, int channel, int channels)
    {
        int previousQuarter = previousSize / 4;
        int quarter = n / 4;
        int count = previousQuarter + quarter;
        int previousLength = previousSize / 2;
        int half = n / 2;
        for (int k = 0; k < count; k++)
        {
            float value = 0;
            if (k < previousLength)
            {
                value = previousHalf[k];
            }

            int c = k - previousQuarter + quarter;
            if (c >= 0 && c < half)
            {
                value += block[c];
            }

            output[(k * channels) + channel] = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] BuildSlope(int length)
    {
        var slope = new float[length];
        for (int i = 0; i < length; i++)
        {
            double s = Math.Sin((i + 0.5) / length * Math.PI / 2);
            slope[i] = (float)Math.Sin(Math.PI / 2 * s * s);
        }

        return slope;
    }
}
