// Package markup owns the one path from user-written text to HTML: it
// renders Markdown and sanitizes the result, and makes plain-text excerpts
// for listings and page titles. No other package may turn user text into
// HTML; templates embed what Render returns and escape everything else.
//
// Choices, and why:
//
//   - Only pictures uploaded to this instance are shown: ![alt](/uploads/ID)
//     becomes an <img> with that exact path and the alt text, which is
//     required (without one it shows as a note, not a picture). Uploads are
//     served only to people who may read where they were uploaded, and
//     carry no metadata (internal/uploads). Remote images are never
//     rendered. A remote <img> would make every reader's browser contact a
//     third party, leaking their IP address and the fact that they read the
//     post (for a closeted 15-year-old that can be the whole risk).
//     ![alt](https://…) becomes an ordinary link whose text is the alt text
//     (or the URL when there is none): nothing is fetched until a reader
//     deliberately follows it, nothing the author wrote is lost, and the
//     link gets the same rel attributes as every other link. An image
//     inside a link renders as its alt text only, since links cannot nest.
//   - Headings are shifted down two levels (# → h3, ## → h4, ### → h5, and
//     the rest h6) rather than clamped, so a post's own outline keeps its
//     shape while the page keeps h1 (page title) and h2 (sections) to itself.
//     Headings carry no id attributes, so user text cannot clobber DOM names.
//   - Raw HTML typed into a post is shown as the literal text the person
//     typed, not dropped: people write things like "<3" or "tell <name>" and
//     deserve to see their words. It is never interpreted as markup.
//   - A single newline is a line break (hard wraps): people writing in a
//     textarea expect Enter to start a new line, as in any chat app.
//   - Links are allowed only to http, https and mailto URLs, always with
//     rel="nofollow noreferrer noopener" and never target=_blank (a new tab
//     breaks quick exit and leaves history behind). Relative links are not
//     allowed: posts are shown on many pages, and a relative URL would point
//     somewhere different on each.
//   - No id, style, on* or hx-* attributes survive, and no class but one: a
//     table is wrapped in <div class="table-scroll"> (added by the renderer,
//     never taken from user text) so it scrolls sideways on a phone instead
//     of widening the page. Code blocks carry no language class: there is no
//     highlighter, and every allowed class is one more thing that could
//     collide with the site's own styles or scripts.
//
// Rendered HTML should be stored together with PolicyVersion, and
// re-rendered from the Markdown when the stored version is older.
package markup

import (
	"bufio"
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// PolicyVersion identifies the rendering and sanitizing rules. Increase it
// whenever New changes what Render produces, so stored HTML rendered under an
// older policy is re-rendered.
const PolicyVersion = 2 // 2: pictures uploaded here are shown

// linkRel is set on every link. noopener is implied by noreferrer in current
// browsers; it is spelt out for older ones.
const linkRel = "nofollow noreferrer noopener"

// tableScrollClass is the one class user content can carry: it is set only
// by renderTable, never taken from user text, and styled in kindred.css.
const tableScrollClass = "table-scroll"

// headingShift is how many levels user headings move down: the page owns h1
// and h2.
const headingShift = 2

// Renderer turns user Markdown into sanitized HTML. Build it once with New;
// it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds the Markdown converter and the sanitizing policy.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
		),
		goldmark.WithParserOptions(
			// No parser.WithAutoHeadingID and no parser.WithAttribute: user
			// text must not be able to set ids or classes.
			parser.WithASTTransformers(util.Prioritized(headingDemoter{}, 100)),
		),
		goldmark.WithRendererOptions(
			// Never gmhtml.WithUnsafe(): raw HTML is rendered as text below.
			gmhtml.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(safeRenderer{}, 100)),
		),
	)
	return &Renderer{md: md, policy: newPolicy()}
}

// newPolicy allows exactly what the Markdown renderer produces, so anything
// else (a bug in this package, a goldmark change) is removed rather than
// trusted.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(
		"p", "br", "hr",
		"em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li",
		"h3", "h4", "h5", "h6",
		"table", "thead", "tbody", "tr", "th", "td",
	)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^` + tableScrollClass + `$`)).OnElements("div")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")

	// Task list items: a disabled checkbox outside any form.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")

	// Links are absolute; the one relative URL allowed anywhere is an
	// uploaded picture's own path. bluemonday's relative-URL switch is
	// global, so each attribute is pinned by its own pattern instead.
	p.AllowAttrs("href").Matching(regexp.MustCompile(`(?i)^(https?://|mailto:)`)).OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowAttrs("src").Matching(localImage).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowElements("img")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}

// maxMarkdownBytes bounds what is parsed as Markdown. goldmark's cost grows
// faster than linearly on some hostile inputs (20 KB of "[a](" takes about
// 0.1 s on the 2-core machine, 80 KB about 1.2 s). Every field that accepts
// Markdown is limited by validation to far less (20 000 characters are at
// most 80 KB), so this only guards a path that forgot to validate.
const maxMarkdownBytes = 128 << 10

// Render converts Markdown to sanitized HTML, safe to embed in a page as is.
// Input longer than maxMarkdownBytes is shown as plain text, not parsed.
func (r *Renderer) Render(markdown string) string {
	if len(markdown) > maxMarkdownBytes {
		return textParagraph(markdown)
	}
	var buf bytes.Buffer
	buf.Grow(len(markdown) + len(markdown)/4 + 64)
	if err := r.md.Convert([]byte(markdown), &buf); err != nil {
		// Convert fails only when writing fails, which a bytes.Buffer does
		// not; if it ever does, show the text rather than nothing.
		return textParagraph(markdown)
	}
	return string(r.policy.SanitizeBytes(buf.Bytes()))
}

// textParagraph shows s as one escaped paragraph with its line breaks.
func textParagraph(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(html.EscapeString(s), "\n", "<br>\n")
	return "<p>" + s + "</p>\n"
}

// Plain returns the text of markdown without any markup, whitespace
// collapsed to single spaces, for listings and page titles. When the text is
// longer than max characters (runes) it is cut at a word boundary and ends
// with "…", the whole being at most max characters. max <= 0 means no limit.
// The result is plain text: escape it like any other text.
func (r *Renderer) Plain(markdown string, max int) string {
	// An excerpt needs only the beginning: reading a bounded prefix keeps
	// listings of long posts cheap (see maxMarkdownBytes).
	limit := maxMarkdownBytes
	if max > 0 && max < maxMarkdownBytes/16 {
		limit = min(limit, 16*max+4096)
	}
	cut := len(markdown) > limit
	if cut {
		for limit > 0 && !utf8.RuneStart(markdown[limit]) {
			limit-- // cut between characters, not inside one
		}
		markdown = markdown[:limit]
	}
	src := []byte(markdown)
	doc := r.md.Parser().Parse(text.NewReader(src))

	// Text goes through goldmark's own writer so backslash escapes and
	// entities resolve exactly as they do in Render; the writer's output is
	// HTML-escaped, so it is unescaped once at the end.
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	tw := gmhtml.DefaultWriter
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			_ = w.WriteByte(' ')
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			if n.IsRaw() {
				tw.RawWrite(w, n.Segment.Value(src))
			} else {
				tw.Write(w, n.Segment.Value(src))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			tw.RawWrite(w, n.Value)
		case *ast.AutoLink:
			tw.RawWrite(w, n.Label(src))
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				tw.RawWrite(w, seg.Value(src))
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				tw.RawWrite(w, seg.Value(src))
			}
			if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
				tw.RawWrite(w, hb.ClosureLine.Value(src))
			}
		}
		return ast.WalkContinue, nil
	})
	_ = w.Flush()

	plain := strings.Join(strings.FieldsFunc(html.UnescapeString(sb.String()), unicode.IsSpace), " ")
	if cut {
		// The text goes on past what was read, and the last word read may
		// be part of a longer one: drop it.
		if i := strings.LastIndexByte(plain, ' '); i > 0 {
			plain = plain[:i]
		}
	}
	return truncate(plain, max, cut)
}

// truncate cuts s to at most max runes (no limit when max <= 0), at a word
// boundary where there is one. It ends with "…" when it cut something, or
// when more says the text goes on beyond s.
func truncate(s string, max int, more bool) string {
	n := utf8.RuneCountInString(s)
	if max <= 0 || n < max || n == max && !more {
		if more {
			return trimEnd(s) + "…"
		}
		return s
	}
	runes := []rune(s)
	keep := max - 1 // room for the ellipsis
	cut := keep
	if runes[keep] != ' ' {
		// Back up to the last space, unless that throws away more than half
		// (a long URL or a language without spaces): then cut mid-word.
		if i := lastIndexRune(runes[:keep], ' '); i > 0 && i >= keep/2 {
			cut = i
		}
	}
	return trimEnd(string(runes[:cut])) + "…"
}

// trimEnd removes the spaces and punctuation that read badly before "…".
func trimEnd(s string) string {
	return strings.TrimRightFunc(s, func(c rune) bool {
		return unicode.IsSpace(c) || strings.ContainsRune(".,;:!?-–—…", c)
	})
}

func lastIndexRune(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// headingDemoter moves every heading down headingShift levels, stopping at h6.
type headingDemoter struct{}

func (headingDemoter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+headingShift, 6)
		}
		return ast.WalkContinue, nil
	})
}

// safeRenderer replaces goldmark's renderers for the nodes that can carry a
// URL or raw HTML. It holds no state, so it is safe for concurrent use.
type safeRenderer struct{}

func (safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(east.KindTable, renderTable)
}

// renderTable wraps a table in a box that scrolls sideways, so a wide table
// never makes the whole page scroll on a phone. Rows and cells are left to
// goldmark's table renderer.
func renderTable(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"" + tableScrollClass + "\"><table>\n")
	} else {
		_, _ = w.WriteString("</table></div>\n")
	}
	return ast.WalkContinue, nil
}

// allowedURL reports whether an already-resolved URL may be linked to.
func allowedURL(dest []byte) bool {
	u, err := url.Parse(string(dest))
	if err != nil {
		return false
	}
	switch u.Scheme { // url.Parse lower-cases the scheme
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

func openLink(w util.BufWriter, dest []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(dest))
	_, _ = w.WriteString(`" rel="` + linkRel + `">`)
}

// renderLink writes a link, or only its text when the URL is not allowed.
// The title is dropped: it would only be a tooltip, unseen on touch screens.
func renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	dest := util.URLEscape(n.Destination, true)
	if !allowedURL(dest) {
		return ast.WalkContinue, nil
	}
	if entering {
		openLink(w, dest)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest := util.URLEscape(n.URL(source), false)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	label := util.EscapeHTML(n.Label(source))
	if !allowedURL(dest) {
		_, _ = w.Write(label)
		return ast.WalkContinue, nil
	}
	openLink(w, dest)
	_, _ = w.Write(label)
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// localImage matches the path of a picture uploaded to this instance
// (internal/uploads serves /uploads/{id}, ids as kindred.NewID makes them).
var localImage = regexp.MustCompile(`^/uploads/[a-z2-7]{26}$`)

// renderImage writes an uploaded picture as an image, and any other image
// as a link to it (see the package comment), with the alt text, rendered by
// the children, as the link's text.
func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	if localImage.Match(n.Destination) && !insideLink(n) {
		if !entering {
			return ast.WalkContinue, nil
		}
		alt := strings.Join(strings.Fields(plainText(n, source)), " ")
		if alt == "" {
			_, _ = w.WriteString(`(a picture without a description)`)
			return ast.WalkSkipChildren, nil
		}
		_, _ = w.WriteString(`<img src="`)
		_, _ = w.Write(n.Destination) // matched localImage: nothing to escape
		_, _ = w.WriteString(`" alt="`)
		_, _ = w.Write(util.EscapeHTML([]byte(alt)))
		_, _ = w.WriteString(`" loading="lazy">`)
		return ast.WalkSkipChildren, nil
	}
	dest := util.URLEscape(n.Destination, true)
	if !allowedURL(dest) || insideLink(n) {
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	openLink(w, dest)
	if n.FirstChild() == nil {
		_, _ = w.Write(util.EscapeHTML(dest))
	}
	return ast.WalkContinue, nil
}

// plainText is the text of a node's children, as an image's alt text.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(source)
			if !c.IsRaw() {
				// As goldmark's writer does for visible text: "\[" is "[",
				// "&amp;" is "&".
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML: // typed text, like everywhere else
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				b.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == ast.KindLink || p.Kind() == ast.KindImage {
			return true
		}
	}
	return false
}

// renderRawHTML shows inline HTML as the text that was typed.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		writeTextLines(w, seg.Value(source))
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock shows a block of HTML as a paragraph of the text that was
// typed, one line per line.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw = append(raw, seg.Value(source)...)
	}
	if n.HasClosure() {
		raw = append(raw, n.ClosureLine.Value(source)...)
	}
	raw = bytes.TrimRight(raw, " \t\r\n")
	if len(raw) == 0 {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<p>")
	writeTextLines(w, raw)
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// writeTextLines writes s HTML-escaped, with each line break as <br>.
func writeTextLines(w util.BufWriter, s []byte) {
	for i, line := range bytes.Split(s, []byte("\n")) {
		if i > 0 {
			_, _ = w.WriteString("<br>\n")
		}
		_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(line, "\r")))
	}
}
