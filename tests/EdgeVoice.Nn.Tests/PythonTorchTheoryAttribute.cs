namespace EdgeVoice.Nn.Tests;

/// <summary>A theory that is skipped, with the reason, when /usr/bin/python3 cannot import torch.</summary>
public sealed class PythonTorchTheoryAttribute : TheoryAttribute
{
    public PythonTorchTheoryAttribute()
    {
        if (PythonTorchFactAttribute.Unavailable.Value is string reason)
        {
            Skip = reason;
        }
    }
}
