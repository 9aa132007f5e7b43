namespace EdgeVoice.Vorbis;

/// <summary>
/// Decodes Ogg Vorbis (Vorbis I) files in managed code.
/// <code>
/// VorbisAudio audio = VorbisFile.Decode("speech.ogg");
/// float[] mono = audio.GetChannel(0); // samples in [-1, 1] at audio.SampleRate
/// </code>
/// The first logical stream is decoded; its length follows the granule positions, so it equals the number
/// of samples that was encoded (as libvorbis and sox report it).
/// </summary>
public static class VorbisFile
{
    /// <summary>Decodes the Ogg Vorbis file at <paramref name="path"/>.</summary>
    /// <exception cref="VorbisFormatException">The file is not valid Ogg Vorbis.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static VorbisAudio Decode(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        return Decode(stream, path);
    }

    /// <summary>Decodes the Ogg Vorbis data of <paramref name="stream"/>, read to its end.</summary>
    /// <param name="stream">The Ogg Vorbis bytes.</param>
    /// <param name="sourceName">Name used in error messages (file path or stream description).</param>
    /// <exception cref="VorbisFormatException">The data is not valid Ogg Vorbis.</exception>
    public static VorbisAudio Decode(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        byte[] data;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            data = buffer.ToArray();
        }

        try
        {
            return DecodeBytes(data, sourceName);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException
                                      or OverflowException or OutOfMemoryException or DivideByZeroException or NullReferenceException)
        {
            throw new VorbisFormatException(sourceName, $"corrupt Vorbis data ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static VorbisAudio DecodeBytes(byte[] data, string source)
    {
        List<OggPacket> packets = OggPacketReader.ReadPackets(data, source);
        if (packets.Count < 3)
        {
            if (packets.Count > 0 && !VorbisHeaders.IsHeader(packets[0].Data, 1))
            {
                throw VorbisHeaders.NotVorbis(packets[0].Data, source);
            }

            throw new VorbisFormatException(source, $"truncated stream: only {packets.Count} of the 3 Vorbis header packets are present");
        }

        VorbisHeaders headers = VorbisHeaders.Read(packets[0].Data, packets[1].Data, packets[2].Data, source);
        var decoder = new VorbisPacketDecoder(headers);
        long expected = packets[^1].GranulePosition > 0 ? packets[^1].GranulePosition : 0;
        var pcm = new VorbisPcmBuffer(headers.Channels, expected + headers.BlockSize1);

        // Every packet completes on a page whose granule position counts the samples up to its end, so a valid
        // stream never decodes much past the largest granule (plus what the first page may drop). This bounds
        // the memory a corrupt stream can ask for.
        long maxGranule = packets.Max(p => p.GranulePosition);
        int firstPagePackets = 1 + packets.Skip(3).TakeWhile(p => p.GranulePosition < 0).Count();
        long maxFrames = maxGranule < 0 ? long.MaxValue : maxGranule + ((firstPagePackets + 2L) * headers.BlockSize1);

        long granule = -1;
        long skipStart = 0;
        for (int p = 3; p < packets.Count; p++)
        {
            OggPacket packet = packets[p];
            int produced = decoder.Decode(packet.Data, pcm);
            if (produced < 0)
            {
                continue;
            }

            if (pcm.Frames > maxFrames)
            {
                throw new VorbisFormatException(
                    source, $"the audio decodes past the largest granule position ({maxGranule}); the granule positions are corrupt");
            }

            if (granule >= 0)
            {
                granule += produced;
            }

            if (packet.GranulePosition < 0)
            {
                continue;
            }

            if (granule < 0)
            {
                // First page with audio: a granule position below the samples decoded so far means the stream
                // starts with samples to drop (or, when it is also the last page, ends early).
                granule = packet.GranulePosition;
                long extra = pcm.Frames - packet.GranulePosition;
                if (extra > 0)
                {
                    if (packet.IsEndOfStream)
                    {
                        pcm.TrimEnd(extra);
                    }
                    else
                    {
                        skipStart = Math.Min(pcm.Frames, skipStart + extra);
                    }
                }
            }
            else
            {
                if (granule > packet.GranulePosition && packet.IsEndOfStream)
                {
                    pcm.TrimEnd(Math.Min(granule - packet.GranulePosition, pcm.Frames - skipStart));
                }

                granule = packet.GranulePosition;
            }
        }

        long frames = Math.Max(0, pcm.Frames - skipStart);
        return new VorbisAudio(pcm.ToClampedArray(skipStart, frames), headers.SampleRate, headers.Channels);
    }
}
