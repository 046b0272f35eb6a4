using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Karibu.Tests.Infrastructure;

/// <summary>Image files made in code for upload tests (no binary fixtures): real PNGs, and files that only look like images.</summary>
public static class TestImages
{
    /// <summary>
    /// A valid RGB PNG of the given size. <paramref name="noisy"/> fills it with pseudo-random pixels (as a camera photo
    /// compresses badly), else a smooth gradient.
    /// </summary>
    public static byte[] Png(int width, int height, bool noisy = false)
    {
        var raw = new byte[(width * 3 + 1) * height];
        var random = new Random(42);
        for (var y = 0; y < height; y++)
        {
            var row = y * (width * 3 + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                var at = row + 1 + x * 3;
                if (noisy)
                {
                    random.NextBytes(raw.AsSpan(at, 3));
                }
                else
                {
                    raw[at] = (byte)(x * 255 / Math.Max(1, width - 1));
                    raw[at + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                    raw[at + 2] = 0x80;
                }
            }
        }

        using var idat = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Bytes that start like a JPEG (the magic bytes) followed by <paramref name="size"/> bytes of filler.</summary>
    public static byte[] JpegLike(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        return bytes;
    }

    /// <summary>A text file someone renamed to .jpg.</summary>
    public static byte[] TextRenamedJpg() => Encoding.UTF8.GetBytes("Lista de precios\nCorte 150\nBarba 90\n");

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        png.Write(four);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
