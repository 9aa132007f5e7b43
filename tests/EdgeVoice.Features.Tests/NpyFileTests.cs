using System.Text;

namespace EdgeVoice.Features.Tests;

public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgevoice-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void VectorRoundTrips()
    {
        string path = Path.Combine(_dir, "v.npy");
        var values = TestData.RandomSignal(1001, 2);
        NpyFile.WriteVector(path, values);
        Assert.Equal(values, NpyFile.ReadVector(path));
        Assert.Equal(0, new FileInfo(path).Length % 4);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, bytes[7]);
        Assert.Equal(0, (10 + BitConverter.ToUInt16(bytes, 8)) % 64);
    }

    [Fact]
    public void MatrixAndEmptyArraysRoundTrip()
    {
        string path = Path.Combine(_dir, "m.npy");
        var matrix = new FeatureMatrix(TestData.RandomSignal(12, 3), 3, 4);
        NpyFile.WriteMatrix(path, matrix);
        var read = NpyFile.ReadMatrix(path);
        Assert.Equal((3, 4), (read.NumFrames, read.Dimension));
        Assert.Equal(matrix.Data, read.Data);

        NpyFile.WriteMatrix(path, new FeatureMatrix(0, 80));
        Assert.Equal((0, 80), (NpyFile.ReadMatrix(path).NumFrames, NpyFile.ReadMatrix(path).Dimension));
        NpyFile.WriteVector(path, ReadOnlySpan<float>.Empty);
        Assert.Empty(NpyFile.ReadVector(path));
    }

    [Fact]
    public void ReadsAFileWrittenByNumPy()
    {
        // The committed golden inputs were written by np.save.
        string path = Directory.GetFiles(TestData.GoldenFbankDirectory, "*.input.npy").First();
        Assert.NotEmpty(NpyFile.ReadVector(path));
    }

    public static TheoryData<string, string> BadHeaders() => new()
    {
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", "dtype '<f8'" },
        { "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "dtype '>f4'" },
        { "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", "Fortran" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", "shape" },
        { "{'descr': '<f4', 'shape': (2,), }", "malformed" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void BadHeadersAreRejectedNamingTheFile(string header, string expectedText)
    {
        string path = WriteRaw("bad.npy", 1, header, new byte[8]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadVector(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expectedText, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StructuralErrorsAreRejectedNamingTheFile()
    {
        string good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        var cases = new (string Path, string Text)[]
        {
            (WriteBytes("magic.npy", Encoding.ASCII.GetBytes("RIFF....WAVEfmt ")), "magic"),
            (WriteBytes("short.npy", [0x93, (byte)'N']), "magic"),
            (WriteRaw("v2.npy", 2, good, new byte[8]), "version 2.0"),
            (WriteRaw("truncated.npy", 1, good, new byte[7]), "truncated"),
            (WriteRaw("trailing.npy", 1, good, new byte[12]), "unexpected bytes"),
        };
        foreach (var (path, text) in cases)
        {
            var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadVector(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(text, e.Message, StringComparison.Ordinal);
        }

        string matrixPath = Path.Combine(_dir, "m.npy");
        NpyFile.WriteMatrix(matrixPath, new FeatureMatrix(2, 2));
        Assert.Contains("1-D", Assert.Throws<InvalidDataException>(() => NpyFile.ReadVector(matrixPath)).Message, StringComparison.Ordinal);
        Assert.Contains("2-D", Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(WriteRaw("v.npy", 1, good, new byte[8]))).Message, StringComparison.Ordinal);
    }

    private string WriteRaw(string name, byte major, string dict, byte[] data)
    {
        string header = dict.PadRight(((dict.Length + 11 + 63) / 64 * 64) - 11) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return WriteBytes(name, bytes.ToArray());
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
