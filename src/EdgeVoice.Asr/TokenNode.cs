using System.Runtime.CompilerServices;
namespace EdgeVoice.Asr;

/// <summary>
/// One emitted token of a hypothesis, linked to the token before it: hypotheses that share a history share its
/// nodes, so extending one costs one node and comparing two walks back only to their common ancestor.
/// </summary>
internal sealed class TokenNode
{
    public TokenNode(TokenNode? parent, int token, int frame, float logProb, double scoreAfter)
    {
        Parent = parent;
        Token = token;
        Frame = frame;
        LogProb = logProb;
        ScoreAfter = scoreAfter;
        Length = (parent?.Length ?? 0) + 1;
        Hash = unchecked(((parent?.Hash ?? 17L) * 1_000_003L) + token);
    }

    public TokenNode? Parent { get; }

    public int Token { get; }

    /// <summary>Encoder frame the token was emitted at.</summary>
    public int Frame { get; }

    /// <summary>Log posterior of the token at its emission (joiner log-softmax).</summary>
    public float LogProb { get; }

    /// <summary>The hypothesis's total log score right after this token was emitted.</summary>
    public double ScoreAfter { get; }

    public int Length { get; }

    public long Hash { get; }

    public static int LengthOf(TokenNode? node) => node?.Length ?? 0;

    /// <summary>True when both nodes spell the same token sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool SameSequence(TokenNode? a, TokenNode? b)
    {
        if (LengthOf(a) != LengthOf(b) || (a?.Hash ?? 0) != (b?.Hash ?? 0))
        {
            return false;
        }

        while (!ReferenceEquals(a, b))
        {
            if (a!.Token != b!.Token)
            {
                return false;
            }

            a = a.Parent;
            b = b.Parent;
        }

        return true;
    }

    /// <summary>The last <paramref name="context"/>.Length tokens ending at <paramref name="node"/>, oldest first, blank-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillContext(TokenNode? node, int blank, Span<int> context)
    {
        for (int i = context.Length - 1; i >= 0; i--)
        {
            context[i] = node?.Token ?? blank;
            node = node?.Parent;
        }
    }

    /// <summary>The nodes from the first token to <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TokenNode[] ToArray(TokenNode? node)
    {
        var result = new TokenNode[LengthOf(node)];
        for (int i = result.Length - 1; i >= 0; i--)
        {
            result[i] = node!;
            node = node!.Parent;
        }

        return result;
    }
}
