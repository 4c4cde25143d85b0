namespace Engagements.Tests.Manifest;

public class IconTests
{
    [Fact]
    public void Manifest_names_the_two_icons_in_the_manifest_folder()
    {
        var icons = ManifestTools.LoadManifest()["icons"]!;

        Assert.Equal("color.png", (string?)icons["color"]);
        Assert.Equal("outline.png", (string?)icons["outline"]);
    }

    [Fact]
    public void Color_icon_is_192_by_192_on_a_solid_background()
    {
        var png = Png.Read(Path.Combine(ManifestTools.ManifestDirectory, "color.png"));

        Assert.Equal((192, 192), (png.Width, png.Height));
        Assert.All(png.Pixels, pixel => Assert.Equal(255, pixel.A));
        var corner = png.Pixels[0];
        Assert.All(new[] { png.Pixels[191], png.Pixels[191 * 192], png.Pixels[^1] }, pixel => Assert.Equal(corner, pixel));
    }

    [Fact]
    public void Color_icon_background_is_the_manifest_accent_color()
    {
        var accent = (string)ManifestTools.LoadManifest()["accentColor"]!;
        var corner = Png.Read(Path.Combine(ManifestTools.ManifestDirectory, "color.png")).Pixels[0];

        Assert.Equal(accent.ToUpperInvariant(), $"#{corner.R:X2}{corner.G:X2}{corner.B:X2}");
    }

    [Fact]
    public void Outline_icon_is_32_by_32_white_on_transparent()
    {
        var png = Png.Read(Path.Combine(ManifestTools.ManifestDirectory, "outline.png"));

        Assert.Equal((32, 32), (png.Width, png.Height));
        Assert.Equal(6, png.ColorType);
        Assert.All(png.Pixels, pixel => Assert.True(pixel.A == 0 || pixel is { R: 255, G: 255, B: 255 }, $"pixel {pixel} is neither transparent nor white"));
        Assert.Contains(png.Pixels, pixel => pixel.A == 255);
        Assert.Contains(png.Pixels, pixel => pixel.A == 0);
    }
}
