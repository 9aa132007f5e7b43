using EdgeVoice.Features;
using EdgeVoice.Nn;

namespace EdgeVoice.Asr;

/// <summary>
/// Turns the feature options a model file states (<see cref="ModelFeatureOptions"/>) into the
/// <see cref="FbankOptions"/> of the runtime's filterbank, refusing what the runtime cannot reproduce.
/// </summary>
internal static class FeatureOptionsMapping
{
    public const string FloatScale = "float";
    public const string Int16Scale = "int16";

    public static FbankOptions ToFbankOptions(ModelFeatureOptions f, string modelPath)
    {
        var problems = new List<string>();
        if (!TryParseWindow(f.WindowType, out FeatureWindowType window))
        {
            problems.Add($"features.window_type '{f.WindowType}' is not one of povey, hanning, hamming, rectangular, blackman");
        }

        if (f.InputScale is not (FloatScale or Int16Scale))
        {
            problems.Add($"features.input_scale '{f.InputScale}' is neither '{FloatScale}' nor '{Int16Scale}'");
        }

        if (f.UseEnergy)
        {
            problems.Add("features.use_energy is true, but the encoder reads num_mel_bins columns and the runtime does not append an energy column");
        }

        if (f.SampleFrequency != Math.Round(f.SampleFrequency) || f.SampleFrequency < 8000 || f.SampleFrequency > 48000)
        {
            problems.Add($"features.sample_frequency {f.SampleFrequency} is not a whole rate in 8000..48000 Hz");
        }

        var options = new FbankOptions
        {
            SampleFrequency = f.SampleFrequency,
            FrameLengthMs = f.FrameLengthMs,
            FrameShiftMs = f.FrameShiftMs,
            Dither = f.Dither,
            PreemphasisCoefficient = f.PreemphasisCoefficient,
            RemoveDcOffset = f.RemoveDcOffset,
            WindowType = window,
            RoundToPowerOfTwo = f.RoundToPowerOfTwo,
            SnipEdges = f.SnipEdges,
            NumMelBins = f.NumMelBins,
            LowFreq = f.LowFreq,
            HighFreq = f.HighFreq,
            UseEnergy = f.UseEnergy,
            EnergyFloor = f.EnergyFloor,
        };
        if (problems.Count == 0)
        {
            try
            {
                options.Validate();
            }
            catch (FeatureOptionsException e)
            {
                problems.AddRange(e.Problems.Select(p => "features: " + p));
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelFormatException(
                modelPath,
                problems,
                "This runtime cannot compute the features the model was trained with; re-export it from a recipe whose FEATURE_OPTIONS (training/params.py) the runtime supports, or update EdgeVoice.");
        }

        return options;
    }

    private static bool TryParseWindow(string name, out FeatureWindowType window)
    {
        window = name switch
        {
            "povey" => FeatureWindowType.Povey,
            "hanning" => FeatureWindowType.Hanning,
            "hamming" => FeatureWindowType.Hamming,
            "rectangular" => FeatureWindowType.Rectangular,
            "blackman" => FeatureWindowType.Blackman,
            _ => (FeatureWindowType)(-1),
        };
        return Enum.IsDefined(window);
    }
}
