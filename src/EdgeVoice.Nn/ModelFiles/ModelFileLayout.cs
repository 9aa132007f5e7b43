namespace EdgeVoice.Nn;

/// <summary>Constants of the .evm container, format versions 1 and 2 (training/model_file.py, docs/model-format.md).</summary>
internal static class ModelFileLayout
{
    /// <summary>The first 8 bytes: "EVMODEL" and a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "EVMODEL\0"u8;

    /// <summary>The oldest version this reader reads: float32 tensors only.</summary>
    public const uint FormatVersion = 1;

    /// <summary>The newest version this reader reads: adds int8 (dtype 1) and block-sparse int8 (dtype 2) tensors.</summary>
    public const uint FormatVersion2 = 2;

    /// <summary>Columns per block of a dtype-2 tensor.</summary>
    public const int SparseBlockSize = 16;

    public const int Alignment = 64;

    public const int ChecksumLength = 32;

    /// <summary>magic, version, metadata length.</summary>
    public const int HeaderLength = 16;

    public const uint DtypeFloat32 = 0;

    public const uint DtypeInt8PerChannel = 1;

    public const uint DtypeInt8BlockSparse = 2;

    public const int MaxRank = 8;

    public const string ReExportFix =
        "Re-export the model with: /usr/bin/python3 training/export.py --checkpoint <checkpoint.pt> --output <model.evm>";
}
