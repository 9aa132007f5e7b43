namespace EdgeVoice.Nn;

/// <summary>One row of a model file's tensor table, as stored.</summary>
internal sealed record ModelTensorEntry(string Name, uint Dtype, ulong[] Dims, ulong Offset, ulong ByteCount)
{
    public ulong End => Offset + ByteCount;
}
