package uploads

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/bep/imagemeta"
	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"kindred"
)

// The image pipeline. Every upload is decoded to pixels and encoded anew
// by the standard library's encoders, which write no EXIF, XMP, IPTC, ICC
// or comment data: nothing of the original file but its pixels survives,
// so no GPS position, camera make, serial number or editing software can
// leak. Orientation is the one piece of metadata honoured, and it is
// applied to the pixels before the metadata is dropped, or phone photos
// would end up sideways.

// Shape says how an image is sized.
type Shape int

const (
	// ShapeAvatar: cropped to a centred square, at most AvatarSize wide.
	ShapeAvatar Shape = iota
	// ShapePost: the whole picture, its longest side at most PostMaxSide.
	ShapePost
)

// Size limits of the output.
const (
	AvatarSize  = 512
	PostMaxSide = 2048
)

// Limits bound what the pipeline accepts. Zero values take the defaults.
type Limits struct {
	MaxBytes  int64 // the uploaded file, before decoding (default 8 MiB)
	MaxPixels int64 // width × height as the file declares them (default 40 megapixels)
}

// Default limits.
const (
	DefaultMaxBytes  = 8 << 20
	DefaultMaxPixels = 40_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l
}

// Image is a re-encoded picture, ready to store.
type Image struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Width, Height int
}

// Ext is the file name extension for the image's type.
func (im *Image) Ext() string {
	if im.ContentType == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// The errors people see. They say what to do next.
var (
	ErrTooLarge      = kindred.Errorf(kindred.ETOOLARGE, "That picture is too large. Please choose one under 8 MB, or make it smaller first.")
	ErrTooManyPixels = kindred.Errorf(kindred.ETOOLARGE,
		"That picture is too large to work with (over 40 megapixels). Please make it smaller first, or take a screenshot of it.")
	ErrHEIC = kindred.Errorf(kindred.EINVALID,
		"We can't read HEIC photos yet: please choose JPEG or PNG. On an iPhone, Settings → Camera → Formats → Most Compatible takes JPEG photos, or share the photo as a JPEG.")
	ErrAVIF       = kindred.Errorf(kindred.EINVALID, "We can't read AVIF pictures yet: please choose JPEG or PNG.")
	ErrUnreadable = kindred.Errorf(kindred.EINVALID,
		"We couldn't read that picture. Please choose a JPEG, PNG, GIF or WebP image.")
	ErrEmpty = kindred.Errorf(kindred.EINVALID, "Please choose a picture to upload.")
)

type format int

const (
	formatUnknown format = iota
	formatJPEG
	formatPNG
	formatGIF
	formatWebP
	formatHEIC
	formatAVIF
)

// sniff tells the format from the file's first bytes, never from its name
// or the type the browser claimed.
func sniff(b []byte) format {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return formatGIF
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return formatWebP
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		// ISO base media files: the major brand says what is inside.
		switch string(b[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return formatHEIC
		case "avif", "avis":
			return formatAVIF
		}
	}
	return formatUnknown
}

// Process checks, decodes, orients, resizes and re-encodes an uploaded
// image. The result carries no metadata at all.
func Process(data []byte, shape Shape, lim Limits) (*Image, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, ErrTooLarge
	}
	f := sniff(data)
	switch f {
	case formatHEIC:
		return nil, ErrHEIC
	case formatAVIF:
		return nil, ErrAVIF
	case formatUnknown:
		return nil, ErrUnreadable
	}
	// The declared size is checked before anything is decoded: a small
	// file can declare a huge image (a decompression bomb).
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return nil, ErrUnreadable
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrUnreadable
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels {
		return nil, ErrTooManyPixels
	}
	src, err := decode(f, data)
	if err != nil {
		return nil, ErrUnreadable
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, ErrUnreadable // the header lied about the size
	}
	orient := orientation(f, data)

	// Crop (avatars) and scale in the stored orientation, then turn the
	// small result: cheaper than turning the full-size picture, and the
	// same image, since a centred square crop turns with the picture.
	srcRect := b
	var w, h int
	switch shape {
	case ShapeAvatar:
		side := min(b.Dx(), b.Dy())
		x0 := b.Min.X + (b.Dx()-side)/2
		y0 := b.Min.Y + (b.Dy()-side)/2
		srcRect = image.Rect(x0, y0, x0+side, y0+side)
		w = min(side, AvatarSize)
		h = w
	default:
		w, h = fit(b.Dx(), b.Dy(), PostMaxSide)
	}
	scaled := scale(src, srcRect, w, h)
	out := orient.apply(scaled)

	// Photos become JPEG; drawings and screenshots (PNG, GIF) stay PNG, as
	// does anything with transparency.
	enc := &Image{Width: out.Bounds().Dx(), Height: out.Bounds().Dy()}
	var buf bytes.Buffer
	if f == formatPNG || f == formatGIF || !opaque(out) {
		e := png.Encoder{CompressionLevel: png.BestSpeed}
		err = e.Encode(&buf, out)
		enc.ContentType = "image/png"
	} else {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: 85})
		enc.ContentType = "image/jpeg"
	}
	if err != nil {
		return nil, err
	}
	enc.Data = buf.Bytes()
	return enc, nil
}

func decodeConfig(f format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case formatJPEG:
		return jpeg.DecodeConfig(r)
	case formatPNG:
		return png.DecodeConfig(r)
	case formatGIF:
		return gif.DecodeConfig(r)
	case formatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, errors.New("unknown format")
}

func decode(f format, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch f {
	case formatJPEG:
		return jpeg.Decode(r)
	case formatPNG:
		return png.Decode(r)
	case formatGIF:
		return gif.Decode(r) // the first frame only
	case formatWebP:
		return webp.Decode(r)
	}
	return nil, errors.New("unknown format")
}

// fit returns w×h scaled down (never up) so the longest side is at most max.
func fit(w, h, max int) (int, int) {
	if w <= max && h <= max {
		return w, h
	}
	if w >= h {
		return max, clampSide(int64(h) * int64(max) / int64(w))
	}
	return clampSide(int64(w) * int64(max) / int64(h)), max
}

func clampSide(n int64) int { return int(max(n, 1)) }

// scale draws the part r of src into a new w×h image. A large reduction
// first goes most of the way with a cheap filter, then finishes with
// Catmull-Rom: the sharp filter's cost grows with the source's size.
func scale(src image.Image, r image.Rectangle, w, h int) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if r.Dx() == w && r.Dy() == h {
		draw.Draw(dst, dst.Bounds(), src, r.Min, draw.Src)
		return dst
	}
	if r.Dx() > 4*w && r.Dy() > 4*h {
		mid := image.NewNRGBA(image.Rect(0, 0, 2*w, 2*h))
		draw.ApproxBiLinear.Scale(mid, mid.Bounds(), src, r, draw.Src, nil)
		src, r = mid, mid.Bounds()
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, r, draw.Src, nil)
	return dst
}

func opaque(m *image.NRGBA) bool {
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0xff {
			return false
		}
	}
	return true
}

// orientationTag is EXIF Orientation (1 to 8): how the stored pixels must
// be turned or flipped to look right.
type orientationTag int

// orientation reads the EXIF Orientation tag; 1 (as stored) when there is
// none or it cannot be read. A broken tag must not lose the upload.
func orientation(f format, data []byte) orientationTag {
	var imf imagemeta.ImageFormat
	switch f {
	case formatJPEG:
		imf = imagemeta.JPEG
	case formatPNG:
		imf = imagemeta.PNG
	case formatWebP:
		imf = imagemeta.WebP
	default:
		return 1
	}
	o := orientationTag(1)
	_, err := imagemeta.Decode(imagemeta.Options{
		R: bytes.NewReader(data), ImageFormat: imf, Sources: imagemeta.EXIF,
		LimitNumTags: 500, LimitTagSize: 4096,
		ShouldHandleTag: func(t imagemeta.TagInfo) bool {
			return t.Tag == "Orientation" && t.Namespace == "IFD0"
		},
		HandleTag: func(t imagemeta.TagInfo) error {
			if n, ok := asInt(t.Value); ok && n >= 1 && n <= 8 {
				o = orientationTag(n)
			}
			return imagemeta.ErrStopWalking
		},
		Warnf: func(string, ...any) {},
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return 1
	}
	return o
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case uint16:
		return int(n), true
	case uint32:
		return int(n), true
	case int:
		return n, true
	case int64:
		return int(n), true
	case uint8:
		return int(n), true
	case []uint16:
		if len(n) == 1 {
			return int(n[0]), true
		}
	}
	return 0, false
}

// apply turns and flips m as the tag says; 5 to 8 swap width and height.
func (o orientationTag) apply(m *image.NRGBA) *image.NRGBA {
	if o <= 1 || o > 8 {
		return m
	}
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // upside down
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored upside down
				dx, dy = x, h-1-y
			case 5: // mirrored along the main diagonal
				dx, dy = y, x
			case 6: // turned a quarter clockwise to look right
				dx, dy = h-1-y, x
			case 7: // mirrored along the other diagonal
				dx, dy = h-1-y, w-1-x
			case 8: // turned a quarter anticlockwise to look right
				dx, dy = y, w-1-x
			}
			i := m.PixOffset(x, y)
			j := dst.PixOffset(dx, dy)
			copy(dst.Pix[j:j+4], m.Pix[i:i+4])
		}
	}
	return dst
}
