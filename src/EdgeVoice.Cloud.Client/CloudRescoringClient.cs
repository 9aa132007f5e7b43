using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeVoice.Asr;

namespace EdgeVoice.Cloud.Client;

/// <summary>
/// Rescores lattices over HTTP (POST /v1/rescore with the compact binary encoding). The device sends its word
/// lattice only: nothing in this API takes audio.
/// <code>
/// using var cloud = new CloudRescoringClient(new CloudClientOptions { BaseAddress = new("http://127.0.0.1:8765"), ApiKey = key });
/// CloudRescoringResult rescored = await cloud.RescoreAsync(result.ToLattice("utt-1"));
/// Console.WriteLine(rescored.Text);
/// </code>
/// </summary>
public sealed class CloudRescoringClient : IDisposable
{
    private const string BinaryMediaType = "application/vnd.edgevoice.lattice";
    private readonly HttpClient _http;
    private readonly CloudClientOptions _options;
    private long _latticeBytesSent;

    public CloudRescoringClient(CloudClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = options.HttpHandler is null ? new HttpClient() : new HttpClient(options.HttpHandler, disposeHandler: false);
        _http.BaseAddress = options.BaseAddress;
        _http.Timeout = options.Timeout;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    /// <summary>Lattice bytes sent so far (request bodies).</summary>
    public long LatticeBytesSent => Interlocked.Read(ref _latticeBytesSent);

    /// <summary>Sends <paramref name="lattice"/> and returns its rescored n-best list (<paramref name="nbest"/> hypotheses, default from the options).</summary>
    /// <exception cref="CloudServiceException">The service refused the lattice (its status and problem), or could not be reached (status 0).</exception>
    public async Task<CloudRescoringResult> RescoreAsync(WordLattice lattice, int? nbest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        byte[] body = lattice.ToBinary();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(BinaryMediaType);
        string uri = "v1/rescore?nbest=" + (nbest ?? _options.NBest).ToString(CultureInfo.InvariantCulture);
        HttpResponseMessage response;
        try
        {
            Interlocked.Add(ref _latticeBytesSent, body.Length);
            response = await _http.PostAsync(uri, content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CloudServiceException(0, "unreachable", $"The rescoring service at {_options.BaseAddress} cannot be reached ({e.Message}).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudServiceException(0, "timeout", $"The rescoring service at {_options.BaseAddress} did not answer within {_options.Timeout.TotalSeconds} s.", e);
        }

        using (response)
        {
            byte[] answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(answer);
            }
            catch (JsonException e)
            {
                throw new CloudServiceException((int)response.StatusCode, "invalid-answer", $"The rescoring service answered {(int)response.StatusCode} with a body that is not JSON.", e);
            }

            using (document)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw CloudServiceException.FromProblem((int)response.StatusCode, document.RootElement);
                }

                return CloudRescoringResult.Parse(document.RootElement);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
