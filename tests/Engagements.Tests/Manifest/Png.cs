using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Engagements.Tests.Manifest;

public readonly record struct Rgba(byte R, byte G, byte B, byte A);

/// <summary>
/// Just enough of PNG (RFC 2083) to check the Teams icons: 8-bit RGB or RGBA, not interlaced. The IDAT stream is
/// zlib; each scanline starts with one of five filter types that is undone against the previous line.
/// </summary>
public sealed class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private Png(int width, int height, int colorType, Rgba[] pixels)
    {
        Width = width;
        Height = height;
        ColorType = colorType;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>2 = RGB, 6 = RGBA.</summary>
    public int ColorType { get; }

    public IReadOnlyList<Rgba> Pixels { get; }

    public static Png Read(string path) => Read(File.ReadAllBytes(path));

    public static Png Read(byte[] file)
    {
        if (!file.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG file");
        }

        int width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
        using var idat = new MemoryStream();
        for (var at = Signature.Length; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    (bitDepth, colorType, interlace) = (data[8], data[9], data[12]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            at += 12 + length;
        }

        if (bitDepth != 8 || colorType is not (2 or 6) || interlace != 0)
        {
            throw new NotSupportedException($"bit depth {bitDepth}, color type {colorType}, interlace {interlace}");
        }

        var channels = colorType == 6 ? 4 : 3;
        var stride = width * channels;
        var raw = Inflate(idat.ToArray());
        if (raw.Length != height * (stride + 1))
        {
            throw new InvalidDataException($"image data is {raw.Length} bytes, expected {height * (stride + 1)}");
        }

        var previous = new byte[stride];
        var pixels = new Rgba[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            Unfilter(filter, line, previous, channels);
            for (var x = 0; x < width; x++)
            {
                var p = x * channels;
                pixels[y * width + x] = new Rgba(line[p], line[p + 1], line[p + 2], channels == 4 ? line[p + 3] : (byte)255);
            }

            previous = line;
        }

        return new Png(width, height, colorType, pixels);
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var inflater = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var result = new MemoryStream();
        inflater.CopyTo(result);
        return result.ToArray();
    }

    private static void Unfilter(byte filter, byte[] line, byte[] previous, int bytesPerPixel)
    {
        for (var i = 0; i < line.Length; i++)
        {
            int left = i >= bytesPerPixel ? line[i - bytesPerPixel] : 0;
            int up = previous[i];
            int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
            line[i] = (byte)(line[i] + filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"unknown filter type {filter}"),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
