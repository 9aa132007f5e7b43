namespace EdgeVoice.Cloud.Tests;

public sealed class ApiKeyStoreTests
{
    [Fact]
    public void A_created_key_authenticates_and_only_its_hash_is_stored()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-keys-{Guid.NewGuid():N}.txt");
        try
        {
            string first = ApiKeyStore.CreateKey(path, "kitchen-speaker");
            string second = ApiKeyStore.CreateKey(path, "car");
            string text = File.ReadAllText(path);
            Assert.DoesNotContain(first, text);
            Assert.Contains("kitchen-speaker sha256:" + ApiKeyStore.Hash(first), text);

            var store = ApiKeyStore.Load(path);
            Assert.Equal(2, store.Count);
            Assert.True(store.TryAuthenticate(first, out string name));
            Assert.Equal("kitchen-speaker", name);
            Assert.True(store.TryAuthenticate(second, out name));
            Assert.Equal("car", name);
            Assert.False(store.TryAuthenticate(first + "x", out _));
            Assert.False(store.TryAuthenticate("", out _));
            Assert.False(store.TryAuthenticate(null, out _));
            Assert.StartsWith("evk_", first);
            Assert.True(first.Length >= 40);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("device abc")]
    [InlineData("device sha256:1234")]
    [InlineData("dev ice sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("device")]
    public void A_bad_line_names_the_file_and_line(string line)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgevoice-keys-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, "# comment\n\n" + line + "\n");
            var e = Assert.Throws<FormatException>(() => ApiKeyStore.Load(path));
            Assert.Contains(path + ":3", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Key_names_are_checked()
    {
        Assert.Throws<ArgumentException>(() => ApiKeyStore.FromKeys([("bad name", "k")]));
    }
}
