using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Materials;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using Microsoft.AspNetCore.Authorization;
using OneThing.Hub.Security;

namespace OneThing.Hub.Grpc;

/// <summary>The material API: thin, it maps and delegates to <see cref="MaterialUseCases"/>.</summary>
[Authorize(Roles = HubRoles.Filers)]
public sealed class MaterialGrpcService(MaterialUseCases useCases, MaterialUploadStatistics statistics) : MaterialService.MaterialServiceBase
{
    /// <summary>The resource-name prefix of materials.</summary>
    public const string MaterialPrefix = "materials/";

    /// <inheritdoc />
    public override async Task<UploadedMaterial> UploadMaterial(IAsyncStreamReader<UploadMaterialRequest> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.PartCase != UploadMaterialRequest.PartOneofCase.Metadata)
        {
            throw UploadRules.Refuse(MaterialReasons.MetadataRequired, "上传的第一条消息须为材料信息（metadata），之后再发送文件内容", "metadata");
        }

        var m = requestStream.Current.Metadata;
        var metadata = new UploadMetadata(ProtoMapping.ThemeCode(m.Theme.Trim()), m.Code.Trim(), m.FileName.Trim(), m.MediaType.Trim(), m.Sha256.Trim().ToLowerInvariant());
        await using var content = new ChunkStream(requestStream, statistics, ct);
        return ToProto(await useCases.UploadAsync(metadata, content, ct));
    }

    /// <inheritdoc />
    public override async Task<UploadedMaterial> GetMaterial(GetMaterialRequest request, ServerCallContext context)
    {
        var name = request.Name;
        var id = name.StartsWith(MaterialPrefix, StringComparison.Ordinal) ? name[MaterialPrefix.Length..] : string.Empty;
        if (id.Length != 32 || !id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, "name is not a material name",
                [new FieldViolation("name", "INVALID_NAME", "材料名称应为 materials/{id}（32位小写十六进制）")]);
        }

        return ToProto(await useCases.GetAsync(id, context.CancellationToken));
    }

    private static UploadedMaterial ToProto(MaterialRecord r) => new()
    {
        Name = MaterialPrefix + r.Id,
        Theme = ProtoMapping.ThemeName(r.ThemeCode),
        Code = r.Code,
        FileName = r.FileName,
        MediaType = r.MediaType,
        SizeBytes = r.SizeBytes,
        Sha256 = r.Sha256,
        WidthPx = r.WidthPx ?? 0,
        HeightPx = r.HeightPx ?? 0,
        CreateTime = Timestamp.FromDateTimeOffset(r.CreatedAt),
    };

    /// <summary>
    /// The chunk messages of an upload as a read-only stream, one message at a time: the stream holds
    /// only the current chunk (at most the service's receive limit), never the upload.
    /// </summary>
    private sealed class ChunkStream(IAsyncStreamReader<UploadMaterialRequest> messages, MaterialUploadStatistics statistics, CancellationToken callToken) : Stream
    {
        private ReadOnlyMemory<byte> _current;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_current.IsEmpty)
            {
                if (_ended)
                {
                    return 0;
                }

                using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
                if (!await messages.MoveNext(linked.Token))
                {
                    _ended = true;
                    return 0;
                }

                var message = messages.Current;
                if (message.PartCase != UploadMaterialRequest.PartOneofCase.Chunk)
                {
                    throw UploadRules.Refuse(MaterialReasons.MetadataRequired, "材料信息（metadata）只能在第一条消息中发送一次", "metadata");
                }

                _current = message.Chunk.Memory;
                statistics.ObserveBuffered(_current.Length);
            }

            var n = Math.Min(buffer.Length, _current.Length);
            _current.Span[..n].CopyTo(buffer.Span);
            _current = _current[n..];
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
