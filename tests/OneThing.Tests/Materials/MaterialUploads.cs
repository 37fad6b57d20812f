using Google.Protobuf;
using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Tests.Support;

namespace OneThing.Tests.Materials;

/// <summary>Uploads materials through the real client-streaming RPC.</summary>
internal static class MaterialUploads
{
    /// <summary>Uploads <paramref name="content"/> in 64 KiB chunks.</summary>
    public static Task<UploadedMaterial> UploadAsync(this MaterialService.MaterialServiceClient client, string theme, string code, string fileName, byte[] content, string mediaType = "", string sha256 = "") =>
        client.UploadAsync(new UploadMaterialMetadata { Theme = theme, Code = code, FileName = fileName, MediaType = mediaType, Sha256 = sha256 }, TestFiles.Chunks(content));

    /// <summary>
    /// Sends the metadata, then every chunk, and returns the server's answer. A server that refuses
    /// the upload part-way ends the call: the remaining writes fail and the answer carries the refusal.
    /// </summary>
    public static async Task<UploadedMaterial> UploadAsync(this MaterialService.MaterialServiceClient client, UploadMaterialMetadata metadata, IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        using var call = client.UploadMaterial(Bounded.Options);
        try
        {
            await call.RequestStream.WriteAsync(new UploadMaterialRequest { Metadata = metadata }).Within();
            foreach (var chunk in chunks)
            {
                await call.RequestStream.WriteAsync(new UploadMaterialRequest { Chunk = ByteString.CopyFrom(chunk.Span) }).Within();
            }

            await call.RequestStream.CompleteAsync().Within();
        }
        catch (RpcException)
        {
            // The server answered before reading everything; its status is the call's response.
        }
        catch (InvalidOperationException)
        {
            // As above: the call is already complete, so the stream takes no more messages.
        }

        return await call.ResponseAsync.Within();
    }
}
