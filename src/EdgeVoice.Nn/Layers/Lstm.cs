using System.Runtime.CompilerServices;
namespace EdgeVoice.Nn;

/// <summary>
/// A stack of <see cref="LstmLayer"/>s (PyTorch <c>nn.LSTM(num_layers=L, batch_first=True)</c>, inference:
/// no dropout). The per-stream state is <c>h</c> and <c>c</c>, each <c>[L, H]</c> like PyTorch's <c>(L, 1, H)</c>. Immutable.
/// </summary>
public sealed class Lstm
{
    private readonly LstmLayer[] _layers;

    /// <summary>Stacks the layers; each layer's input size must be the previous one's hidden size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Lstm(IReadOnlyList<LstmLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Guard.Positive(layers.Count, nameof(layers));
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].InputSize != layers[i - 1].HiddenSize || layers[i].HiddenSize != layers[0].HiddenSize)
            {
                throw new ArgumentException(
                    $"Layer {i} takes {layers[i].InputSize} inputs with {layers[i].HiddenSize} hidden units; expected {layers[i - 1].HiddenSize} and {layers[0].HiddenSize}.",
                    nameof(layers));
            }
        }

        _layers = [.. layers];
    }

    /// <summary>Number of layers.</summary>
    public int Layers => _layers.Length;

    /// <summary>Width of an input frame.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>Hidden size of every layer (and the width of an output frame).</summary>
    public int HiddenSize => _layers[0].HiddenSize;

    /// <summary>Floats of <c>h</c> (and of <c>c</c>): <c>Layers · HiddenSize</c>.</summary>
    public int StateLength => Layers * HiddenSize;

    /// <summary>Builds all <paramref name="layers"/> layers of the <c>nn.LSTM</c> stored under <paramref name="prefix"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Lstm FromModel(ModelFile model, string prefix, int layers)
    {
        Guard.Positive(layers, nameof(layers));
        var list = new LstmLayer[layers];
        for (int i = 0; i < layers; i++)
        {
            list[i] = LstmLayer.FromModel(model, prefix, i);
        }

        return new Lstm(list);
    }

    /// <summary>Runs time-major frames <c>[frames, InputSize]</c> through every layer.</summary>
    /// <param name="input">Input frames.</param>
    /// <param name="hidden">Per-stream <c>[Layers, HiddenSize]</c>; updated.</param>
    /// <param name="cell">Per-stream <c>[Layers, HiddenSize]</c>; updated.</param>
    /// <param name="output">Time-major <c>[frames, HiddenSize]</c> from the last layer; must not overlap the input.</param>
    /// <param name="arena">Scratch for gates and the outputs of the inner layers.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> input, Span<float> hidden, Span<float> cell, Span<float> output, FloatArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        if (input.Length % InputSize != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {InputSize} floats.", nameof(input));
        }

        int frames = input.Length / InputSize;
        int h = HiddenSize;
        Guard.Length(hidden.Length, StateLength, nameof(hidden));
        Guard.Length(cell.Length, StateLength, nameof(cell));
        Guard.Length(output.Length, (long)frames * h, nameof(output));

        Span<float> ping = _layers.Length > 1 ? arena.Rent(frames * h) : Span<float>.Empty;
        Span<float> pong = _layers.Length > 2 ? arena.Rent(frames * h) : Span<float>.Empty;
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<float> y = l == _layers.Length - 1 ? output : (l % 2 == 0 ? ping : pong);
            _layers[l].Forward(x, hidden.Slice(l * h, h), cell.Slice(l * h, h), y, arena);
            x = y;
        }
    }
}
