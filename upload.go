package kindred

// Uploaded images (issue 5, item 7): avatars and pictures in posts,
// decoded and re-encoded so no location or camera metadata survives.

// UploadStore keeps uploads' records; the bytes live on disk.
type UploadStore interface {
}
