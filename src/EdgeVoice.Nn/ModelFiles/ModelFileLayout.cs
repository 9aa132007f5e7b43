namespace EdgeVoice.Nn;

/// <summary>Constants of the .evm container, format version 1 (training/model_file.py, docs/engine.md).</summary>
internal static class ModelFileLayout
{
    /// <summary>The first 8 bytes: "EVMODEL" and a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "EVMODEL\0"u8;

    public const uint FormatVersion = 1;

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
