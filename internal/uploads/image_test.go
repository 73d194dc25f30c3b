package uploads_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/uploads"
	"kindred/internal/uploads/uploadstest"
)

func exiftool(t *testing.T, data []byte) (string, bool) { return uploadstest.Exiftool(t, data) }

// isRed and isBlue tell the two halves of uploadstest.TwoColours apart
// after resampling and JPEG compression.
func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 2*b && r > 2*g
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 2*r && b > 2*g
}

func TestProcessStripsGPSAndAppliesOrientation(t *testing.T) {
	in := uploadstest.GPSJPEG(t, 80, 40, 6)
	if p := uploadstest.Problems(in); len(p) == 0 {
		t.Fatal("the test JPEG carries no metadata to strip")
	}
	if out, ok := exiftool(t, in); ok {
		for _, want := range []string{"GPS Latitude  ", "51.50", "GPS Longitude  ", uploadstest.CameraMake, uploadstest.CameraModel, "Orientation"} {
			if !strings.Contains(out, want) {
				t.Errorf("exiftool does not see %q in the test JPEG:\n%s", want, out)
			}
		}
	} else {
		t.Log("exiftool is not installed (apt-get install libimage-exiftool-perl); checking the bytes only")
	}

	for _, tc := range []struct {
		name        string
		shape       uploads.Shape
		w, h        int
		redAt, blue image.Point
	}{
		// Orientation 6: the stored picture is turned a quarter clockwise
		// to look right, so its left (red) half ends up on top.
		{"post", uploads.ShapePost, 40, 80, image.Pt(20, 10), image.Pt(20, 70)},
		{"avatar", uploads.ShapeAvatar, 40, 40, image.Pt(20, 5), image.Pt(20, 35)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := uploads.Process(in, tc.shape, uploads.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if im.ContentType != "image/jpeg" || im.Width != tc.w || im.Height != tc.h {
				t.Errorf("got %s %d×%d; want image/jpeg %d×%d", im.ContentType, im.Width, im.Height, tc.w, tc.h)
			}
			if p := uploadstest.Problems(im.Data); len(p) > 0 {
				t.Errorf("the output still has %v", p)
			}
			if out, ok := exiftool(t, im.Data); ok {
				for _, bad := range []string{"GPS", uploadstest.CameraMake, uploadstest.CameraModel, "Orientation", "[EXIF]", "[IFD0]"} {
					if strings.Contains(out, bad) {
						t.Errorf("exiftool finds %q in the output:\n%s", bad, out)
					}
				}
			}
			dec, _, err := image.Decode(bytes.NewReader(im.Data))
			if err != nil {
				t.Fatal(err)
			}
			if b := dec.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Errorf("decoded %v", b)
			}
			if !isRed(dec.At(tc.redAt.X, tc.redAt.Y)) || !isBlue(dec.At(tc.blue.X, tc.blue.Y)) {
				t.Errorf("the picture was not turned the right way: %v at %v, %v at %v",
					dec.At(tc.redAt.X, tc.redAt.Y), tc.redAt, dec.At(tc.blue.X, tc.blue.Y), tc.blue)
			}
		})
	}
}

func TestProcessOrientations(t *testing.T) {
	// The red half is the stored picture's left half; where it ends up,
	// per orientation, for an 80×40 picture.
	for o, want := range map[uint16]struct {
		w, h int
		red  image.Point
	}{
		1: {80, 40, image.Pt(5, 20)}, 2: {80, 40, image.Pt(75, 20)}, 3: {80, 40, image.Pt(75, 20)},
		4: {80, 40, image.Pt(5, 20)}, 5: {40, 80, image.Pt(20, 5)}, 6: {40, 80, image.Pt(20, 5)},
		7: {40, 80, image.Pt(20, 75)}, 8: {40, 80, image.Pt(20, 75)},
	} {
		im, err := uploads.Process(uploadstest.GPSJPEG(t, 80, 40, o), uploads.ShapePost, uploads.Limits{})
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		dec, _, err := image.Decode(bytes.NewReader(im.Data))
		if err != nil {
			t.Fatal(err)
		}
		if im.Width != want.w || im.Height != want.h || !isRed(dec.At(want.red.X, want.red.Y)) {
			t.Errorf("orientation %d: %d×%d, %v at %v; want %d×%d red there", o, im.Width, im.Height,
				dec.At(want.red.X, want.red.Y), want.red, want.w, want.h)
		}
	}
}

func TestProcessRefusesKindly(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		lim  uploads.Limits
		code string
		msg  string
	}{
		{"decompression bomb", uploadstest.Bomb(t, 100_000, 100_000), uploads.Limits{}, kindred.ETOOLARGE, "too large"},
		{"just over the pixel limit", uploadstest.Bomb(t, 1001, 1000), uploads.Limits{MaxPixels: 1_000_000}, kindred.ETOOLARGE, "too large"},
		{"HEIC", uploadstest.HEIC(), uploads.Limits{}, kindred.EINVALID, "We can't read HEIC photos yet: please choose JPEG or PNG"},
		{"too many bytes", uploadstest.GPSJPEG(t, 80, 40, 1), uploads.Limits{MaxBytes: 100}, kindred.ETOOLARGE, "That picture is too large"},
		{"not a picture", []byte("%PDF-1.7 hello"), uploads.Limits{}, kindred.EINVALID, "couldn't read that picture"},
		{"truncated JPEG", uploadstest.GPSJPEG(t, 80, 40, 1)[:300], uploads.Limits{}, kindred.EINVALID, "couldn't read that picture"},
		{"empty", nil, uploads.Limits{}, kindred.EINVALID, "choose a picture"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := uploads.Process(tc.in, uploads.ShapePost, tc.lim)
			if kindred.ErrorCode(err) != tc.code || !strings.Contains(kindred.ErrorMessage(err), tc.msg) {
				t.Errorf("Process = %v; want %s saying %q", err, tc.code, tc.msg)
			}
		})
	}
}

func TestProcessKeepsTransparencyAsPNG(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 3000, 1000))
	m.Set(10, 10, color.NRGBA{255, 0, 0, 128})
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	im, err := uploads.Process(buf.Bytes(), uploads.ShapePost, uploads.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if im.ContentType != "image/png" || im.Width != uploads.PostMaxSide || im.Height != 682 {
		t.Errorf("got %s %d×%d; want a PNG scaled to 2048×682", im.ContentType, im.Width, im.Height)
	}
}

// FuzzProcess: whatever arrives, the pipeline answers with a clean image
// within the limits or a kind error, and never panics. CI runs the seeds;
// `go test -fuzz=FuzzProcess ./internal/uploads/` explores.
func FuzzProcess(f *testing.F) {
	f.Add(uploadstest.GPSJPEG(f, 16, 8, 6))
	f.Add(uploadstest.GPSJPEG(f, 9, 3, 3))
	f.Add(uploadstest.Bomb(f, 70_000, 70_000))
	f.Add(uploadstest.HEIC())
	var buf bytes.Buffer
	_ = png.Encode(&buf, uploadstest.TwoColours(12, 7))
	f.Add(buf.Bytes())
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	lim := uploads.Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, shape := range []uploads.Shape{uploads.ShapePost, uploads.ShapeAvatar} {
			im, err := uploads.Process(data, shape, lim)
			if err != nil {
				if c := kindred.ErrorCode(err); c != kindred.EINVALID && c != kindred.ETOOLARGE {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			if im.Width <= 0 || im.Height <= 0 || im.Width > uploads.PostMaxSide || im.Height > uploads.PostMaxSide {
				t.Fatalf("output %d×%d", im.Width, im.Height)
			}
			// Compressed pixels could spell "GPS" by chance; a metadata
			// segment cannot appear by chance.
			for _, p := range uploadstest.Problems(im.Data) {
				if p == "an APP1 segment" {
					t.Fatalf("output has %s", p)
				}
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(im.Data))
			if err != nil || cfg.Width != im.Width || cfg.Height != im.Height {
				t.Fatalf("output does not decode as %d×%d: %v %+v", im.Width, im.Height, err, cfg)
			}
		}
	})
}
