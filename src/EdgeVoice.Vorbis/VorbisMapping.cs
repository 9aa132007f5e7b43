using System.Runtime.CompilerServices;
namespace EdgeVoice.Vorbis;

/// <summary>
/// Mapping type 0: which submap (floor and residue pair) each channel uses, and the square-polar channel
/// coupling steps undone after residue decode.
/// </summary>
internal sealed class VorbisMapping
{
    private VorbisMapping(int[] channelSubmap, int[] submapFloor, int[] submapResidue, int[] couplingMagnitude, int[] couplingAngle)
    {
        ChannelSubmap = channelSubmap;
        SubmapFloor = submapFloor;
        SubmapResidue = submapResidue;
        CouplingMagnitude = couplingMagnitude;
        CouplingAngle = couplingAngle;
    }

    /// <summary>Submap of each channel.</summary>
    public int[] ChannelSubmap { get; }

    /// <summary>Floor number of each submap.</summary>
    public int[] SubmapFloor { get; }

    /// <summary>Residue number of each submap.</summary>
    public int[] SubmapResidue { get; }

    /// <summary>Magnitude channel of each coupling step.</summary>
    public int[] CouplingMagnitude { get; }

    /// <summary>Angle channel of each coupling step.</summary>
    public int[] CouplingAngle { get; }

    /// <summary>Reads one mapping from the setup header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VorbisMapping Read(VorbisBitReader reader, int channels, int floorCount, int residueCount, string source, int index)
    {
        int type = reader.ReadInt(16);
        if (type != 0)
        {
            throw new VorbisFormatException(source, $"mapping {index} has invalid type {type}");
        }

        int submaps = reader.ReadFlag() ? reader.ReadInt(4) + 1 : 1;
        int steps = reader.ReadFlag() ? reader.ReadInt(8) + 1 : 0;
        var magnitude = new int[steps];
        var angle = new int[steps];
        int channelBits = VorbisMath.ILog(channels - 1);
        for (int s = 0; s < steps; s++)
        {
            magnitude[s] = reader.ReadInt(channelBits);
            angle[s] = reader.ReadInt(channelBits);
            if (magnitude[s] == angle[s] || magnitude[s] >= channels || angle[s] >= channels)
            {
                throw new VorbisFormatException(source, $"mapping {index} has an invalid channel coupling step");
            }
        }

        if (reader.ReadInt(2) != 0)
        {
            throw new VorbisFormatException(source, $"mapping {index} has non-zero reserved bits");
        }

        var channelSubmap = new int[channels];
        if (submaps > 1)
        {
            for (int c = 0; c < channels; c++)
            {
                channelSubmap[c] = reader.ReadInt(4);
                if (channelSubmap[c] >= submaps)
                {
                    throw new VorbisFormatException(source, $"mapping {index} assigns channel {c} to missing submap {channelSubmap[c]}");
                }
            }
        }

        var submapFloor = new int[submaps];
        var submapResidue = new int[submaps];
        for (int s = 0; s < submaps; s++)
        {
            reader.ReadBits(8);
            submapFloor[s] = reader.ReadInt(8);
            submapResidue[s] = reader.ReadInt(8);
            if (submapFloor[s] >= floorCount || submapResidue[s] >= residueCount)
            {
                throw new VorbisFormatException(source, $"mapping {index} refers to a missing floor or residue");
            }
        }

        if (reader.EndOfPacket)
        {
            throw new VorbisFormatException(source, $"truncated setup header inside mapping {index}");
        }

        return new VorbisMapping(channelSubmap, submapFloor, submapResidue, magnitude, angle);
    }
}
