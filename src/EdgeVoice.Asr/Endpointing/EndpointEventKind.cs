namespace EdgeVoice.Asr.Endpointing;

/// <summary>What an <see cref="EndpointEvent"/> announces.</summary>
public enum EndpointEventKind
{
    /// <summary>The speculative end-pointer fired: downstream work may start on the current lattice.</summary>
    SpeculativeEndpoint,

    /// <summary>The final end-pointer fired: the utterance is over; the stream continues with a fresh one.</summary>
    FinalEndpoint,

    /// <summary>Discard what was started on the speculative lattice; the event carries the revised lattice.</summary>
    Reset,
}
