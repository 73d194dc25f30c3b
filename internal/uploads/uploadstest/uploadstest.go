// Package uploadstest makes real image files for tests of the uploads
// pipeline: JPEGs carrying GPS, camera and orientation EXIF written by a
// small EXIF writer of our own, a decompression bomb and a HEIC header, and
// checks that an image carries no metadata.
package uploadstest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Exiftool reads a file's metadata with Debian's libimage-exiftool-perl,
// an independent reader, when it is installed (ok false otherwise). The
// lines about the file itself (name, directory, dates) are left out.
func Exiftool(t testing.TB, data []byte) (out string, ok bool) {
	t.Helper()
	bin, err := exec.LookPath("exiftool")
	if err != nil {
		return "", false
	}
	path := filepath.Join(t.TempDir(), "img")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command(bin, "-a", "-G1", "-n", path).CombinedOutput()
	if err != nil {
		t.Fatalf("exiftool: %v\n%s", err, raw)
	}
	var kept []string
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "[System]") && !strings.HasPrefix(line, "[ExifTool]") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n"), true
}

// Markers written into the EXIF data; none may survive the pipeline.
const (
	CameraMake  = "KindredTestCameraMaker"
	CameraModel = "SecretPhone Model 9"
)

// Latitude and Longitude are the GPS position written (51°30'26"N,
// 0°7'39"W), as degrees, minutes, seconds.
var (
	Latitude  = [3]uint32{51, 30, 26}
	Longitude = [3]uint32{0, 7, 39}
)

// TwoColours is a w×h picture whose left half is red and right half blue,
// so a test can tell which way it was turned.
func TwoColours(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 200, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// GPSJPEG returns a w×h JPEG (TwoColours) with an APP1 "Exif" segment
// holding camera Make and Model, Orientation and a GPS IFD with latitude
// and longitude.
func GPSJPEG(t testing.TB, w, h int, orientation uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, TwoColours(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	payload := append([]byte("Exif\x00\x00"), exifTIFF(orientation)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, plain[:2]...) // SOI
	out = append(out, seg...)
	return append(out, plain[2:]...)
}

type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte // the value, big-endian; inline when 4 bytes or fewer
}

const (
	typeASCII    = 2
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
)

func ascii(tag uint16, s string) ifdEntry {
	b := append([]byte(s), 0)
	return ifdEntry{tag: tag, typ: typeASCII, count: uint32(len(b)), data: b}
}

func rationals(tag uint16, v [3]uint32) ifdEntry {
	b := make([]byte, 0, 24)
	for _, n := range v {
		b = binary.BigEndian.AppendUint32(b, n)
		b = binary.BigEndian.AppendUint32(b, 1)
	}
	return ifdEntry{tag: tag, typ: typeRational, count: 3, data: b}
}

// exifTIFF lays out a big-endian TIFF structure: header, IFD0 (Make, Model,
// Orientation, GPS pointer) and its values, then the GPS IFD and its values.
func exifTIFF(orientation uint16) []byte {
	ifd0 := []ifdEntry{
		ascii(0x010F, CameraMake),
		ascii(0x0110, CameraModel),
		{tag: 0x0112, typ: typeShort, count: 1, data: binary.BigEndian.AppendUint16(nil, orientation)},
		{tag: 0x8825, typ: typeLong, count: 1, data: make([]byte, 4)}, // GPS IFD offset, filled below
	}
	gps := []ifdEntry{
		ascii(0x0001, "N"),
		rationals(0x0002, Latitude),
		ascii(0x0003, "W"),
		rationals(0x0004, Longitude),
	}
	ifdLen := func(n int) int { return 2 + 12*n + 4 }
	dataLen := func(es []ifdEntry) int {
		n := 0
		for _, e := range es {
			if len(e.data) > 4 {
				n += len(e.data) + len(e.data)%2
			}
		}
		return n
	}
	ifd0At := 8
	gpsAt := ifd0At + ifdLen(len(ifd0)) + dataLen(ifd0)
	binary.BigEndian.PutUint32(ifd0[3].data, uint32(gpsAt))
	out := []byte("MM\x00\x2a")
	out = binary.BigEndian.AppendUint32(out, uint32(ifd0At))
	out = appendIFD(out, ifd0, ifd0At)
	return appendIFD(out, gps, gpsAt)
}

func appendIFD(out []byte, es []ifdEntry, at int) []byte {
	dataAt := at + 2 + 12*len(es) + 4
	var data []byte
	out = binary.BigEndian.AppendUint16(out, uint16(len(es)))
	for _, e := range es {
		out = binary.BigEndian.AppendUint16(out, e.tag)
		out = binary.BigEndian.AppendUint16(out, e.typ)
		out = binary.BigEndian.AppendUint32(out, e.count)
		if len(e.data) <= 4 {
			v := make([]byte, 4)
			copy(v, e.data)
			out = append(out, v...)
			continue
		}
		out = binary.BigEndian.AppendUint32(out, uint32(dataAt+len(data)))
		data = append(data, e.data...)
		if len(e.data)%2 == 1 {
			data = append(data, 0) // values start on word boundaries
		}
	}
	out = binary.BigEndian.AppendUint32(out, 0) // no next IFD
	return append(out, data...)
}

// Bomb returns a tiny PNG whose header declares w×h pixels.
func Bomb(t testing.TB, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// IHDR's data starts after the signature (8), length (4) and type (4).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// HEIC returns the start of an HEIC file, as an iPhone writes one.
func HEIC() []byte {
	b := []byte{0, 0, 0, 0x18}
	b = append(b, "ftypheic\x00\x00\x00\x00mif1heic"...)
	return append(b, bytes.Repeat([]byte{0}, 64)...)
}

// Problems lists the metadata left in an image file: EXIF or XMP segments,
// GPS, camera strings, text chunks. Empty means clean.
func Problems(b []byte) []string {
	var out []string
	for _, s := range []struct{ what, needle string }{
		{"an Exif segment", "Exif"},
		{"GPS data", "GPS"},
		{"the camera make", CameraMake},
		{"the camera model", CameraModel},
		{"XMP", "http://ns.adobe.com/xap"},
		{"a PNG eXIf chunk", "eXIf"},
		{"a PNG text chunk", "tEXt"},
		{"a PNG text chunk", "iTXt"},
	} {
		if bytes.Contains(b, []byte(s.needle)) {
			out = append(out, s.what)
		}
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xD8}) {
		for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
			marker := b[i+1]
			if marker == 0xDA { // start of scan: no more metadata segments
				break
			}
			n := int(binary.BigEndian.Uint16(b[i+2:]))
			if marker == 0xE1 {
				out = append(out, "an APP1 segment")
			}
			i += 2 + n
		}
	}
	return out
}
