namespace EdgeVoice.Nn;

/// <summary>How a model file stores a tensor (the table's dtype code, docs/model-format.md).</summary>
public enum TensorStorage
{
    /// <summary>dtype 0: IEEE-754 float32.</summary>
    Float32 = 0,

    /// <summary>dtype 1: int8 in [-127, 127] with one float32 scale per output channel (row).</summary>
    Int8 = 1,

    /// <summary>dtype 2: int8 in 1×16 blocks; a bitmap of the non-zero blocks, their packed values, one scale per row.</summary>
    BlockSparseInt8 = 2,
}
