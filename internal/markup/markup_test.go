package markup

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// xssCases are hostile inputs. For each, the output must contain every
// string in want and none in forbid (compared case-insensitively), and must
// pass checkSafe. They are also the fuzz seeds.
var xssCases = []struct {
	name   string
	in     string
	want   []string
	forbid []string
}{
	{
		name:   "script tag is shown as text",
		in:     `<script>alert(1)</script>`,
		want:   []string{"&lt;script&gt;alert(1)&lt;/script&gt;"},
		forbid: []string{"<script"},
	},
	{
		name:   "script tag inline",
		in:     `hello <script src="https://evil.example/x.js"></script> there`,
		want:   []string{"hello &lt;script"},
		forbid: []string{"<script"},
	},
	{
		name:   "uppercase script",
		in:     "<SCRIPT>alert(1)</SCRIPT>",
		forbid: []string{"<script"},
	},
	{
		name:   "javascript link",
		in:     `[click me](javascript:alert(1))`,
		want:   []string{"<p>click me</p>"},
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript link mixed case",
		in:     `[click](JaVaScRiPt:alert(1))`,
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript link with leading space in angle brackets",
		in:     `[click](< javascript:alert(1)>)`,
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript link decimal entity",
		in:     `[click](&#106;avascript:alert(1))`,
		forbid: []string{"<a", "javascript:", "&#106;"},
	},
	{
		name:   "javascript link hex entity",
		in:     `[click](&#x6A;&#x61;vascript:alert(1))`,
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript link named entity colon",
		in:     `[click](javascript&colon;alert(1))`,
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript link with tab entity",
		in:     `[click](java&#x09;script:alert(1))`,
		forbid: []string{"<a"},
	},
	{
		name:   "javascript link with escaped colon",
		in:     `[click](javascript\:alert(1))`,
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript reference link",
		in:     "[click][x]\n\n[x]: javascript:alert(1)",
		forbid: []string{"<a", "javascript:"},
	},
	{
		name:   "javascript autolink",
		in:     `<javascript:alert(1)>`,
		forbid: []string{"<a"},
	},
	{
		name:   "data link",
		in:     `[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
		forbid: []string{"<a", "data:"},
	},
	{
		name:   "data link mixed case",
		in:     `[click](DaTa:text/html,<script>alert(1)</script>)`,
		forbid: []string{"<a", "<script"},
	},
	{
		name:   "vbscript link",
		in:     `[click](vbscript:msgbox(1))`,
		forbid: []string{"<a", "vbscript:"},
	},
	{
		name:   "vbscript link mixed case",
		in:     `[click](VbScRiPt:msgbox(1))`,
		forbid: []string{"<a"},
	},
	{
		name:   "file link",
		in:     `[click](file:///etc/passwd)`,
		forbid: []string{"<a"},
	},
	{
		name:   "protocol-relative link",
		in:     `[click](//evil.example/)`,
		forbid: []string{"<a"},
	},
	{
		name:   "relative link",
		in:     `[settings](/account/delete)`,
		want:   []string{"<p>settings</p>"},
		forbid: []string{"<a"},
	},
	{
		name:   "quote breaking out of href",
		in:     `[x](https://example.org/"onmouseover="alert(1))`,
		want:   []string{`href="https://example.org/%22onmouseover=%22alert(1)"`},
		forbid: []string{`"onmouseover`},
	},
	{
		name:   "autolink with quote",
		in:     `<https://example.org/"onmouseover="alert(1)>`,
		forbid: []string{`"onmouseover`},
	},
	{
		name:   "link title cannot add attributes",
		in:     `[x](https://example.org "a\" onclick=\"alert(1)")`,
		want:   []string{`<a href="https://example.org" rel="nofollow noreferrer noopener">x</a>`},
		forbid: []string{"title="},
	},
	{
		name:   "on attribute in raw html",
		in:     `<div onclick="alert(1)">hi</div>`,
		want:   []string{"&lt;div onclick="},
		forbid: []string{"<div onclick"},
	},
	{
		name:   "img onerror",
		in:     `<img src=x onerror=alert(1)>`,
		want:   []string{"&lt;img src=x onerror=alert(1)&gt;"},
		forbid: []string{"<img"},
	},
	{
		name:   "img onerror inline",
		in:     `look <img src=x onerror="alert(1)"> here`,
		forbid: []string{"<img"},
	},
	{
		name:   "iframe",
		in:     `<iframe src="https://evil.example/"></iframe>`,
		forbid: []string{"<iframe"},
	},
	{
		name:   "svg onload",
		in:     `<svg onload="alert(1)"><circle r="10"/></svg>`,
		forbid: []string{"<svg", "<circle"},
	},
	{
		name:   "svg inline",
		in:     `text <svg><script>alert(1)</script></svg> text`,
		forbid: []string{"<svg", "<script"},
	},
	{
		name:   "style element",
		in:     "<style>body{display:none}</style>",
		forbid: []string{"<style"},
	},
	{
		name:   "style attribute",
		in:     `<p style="position:fixed;inset:0">cover</p>`,
		forbid: []string{"<p style", "style=\"position"},
	},
	{
		name:   "htmx post",
		in:     `<button hx-post="/account/delete" hx-trigger="load">x</button>`,
		forbid: []string{"<button", "<button hx-post"},
	},
	{
		name:   "htmx get on a div",
		in:     `<div hx-get="/admin" hx-swap="outerHTML" data-hx-get="/x">x</div>`,
		forbid: []string{"<div hx-", "<div data-hx"},
	},
	{
		name:   "form and input",
		in:     `<form action="https://evil.example/"><input name="password"></form>`,
		forbid: []string{"<form", `<input name`},
	},
	{
		name:   "object embed",
		in:     `<object data="x.swf"></object><embed src="x.swf">`,
		forbid: []string{"<object", "<embed"},
	},
	{
		name:   "meta refresh",
		in:     `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
		forbid: []string{"<meta"},
	},
	{
		name:   "base href",
		in:     `<base href="https://evil.example/">`,
		forbid: []string{"<base"},
	},
	{
		name:   "DOM clobbering id and name",
		in:     `<a id="csrf" name="config" href="https://example.org">x</a>`,
		forbid: []string{"<a id", ` id="`, ` name="`},
	},
	{
		name:   "html comment",
		in:     "<!-- <script>alert(1)</script> -->",
		forbid: []string{"<!--", "<script"},
	},
	{
		name:   "cdata",
		in:     "<![CDATA[<script>alert(1)</script>]]>",
		forbid: []string{"<script", "<![CDATA"},
	},
	{
		name:   "markdown image",
		in:     `![a rainbow flag](https://tracker.example/pixel.png)`,
		want:   []string{`<a href="https://tracker.example/pixel.png" rel="nofollow noreferrer noopener">a rainbow flag</a>`},
		forbid: []string{"<img"},
	},
	{
		name:   "markdown image without alt",
		in:     `![](https://tracker.example/pixel.png)`,
		want:   []string{`>https://tracker.example/pixel.png</a>`},
		forbid: []string{"<img"},
	},
	{
		name:   "markdown image with javascript",
		in:     `![x](javascript:alert(1))`,
		want:   []string{"<p>x</p>"},
		forbid: []string{"<img", "<a", "javascript:"},
	},
	{
		name:   "markdown image with data uri",
		in:     `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
		forbid: []string{"<img", "<a", "data:"},
	},
	{
		name:   "markdown image inside a link",
		in:     `[![badge](https://tracker.example/b.png)](https://example.org/)`,
		want:   []string{`<a href="https://example.org/" rel="nofollow noreferrer noopener">badge</a>`},
		forbid: []string{"<img", "tracker.example"},
	},
	{
		name:   "reference image",
		in:     "![pic][p]\n\n[p]: https://tracker.example/p.png",
		forbid: []string{"<img"},
	},
	{
		name:   "raw html block",
		in:     "<div>\n<p>nested</p>\n</div>",
		want:   []string{"<p>&lt;div&gt;<br>\n&lt;p&gt;nested&lt;/p&gt;<br>\n&lt;/div&gt;</p>"},
		forbid: []string{"<div>"},
	},
	{
		name:   "raw html details",
		in:     "<details open ontoggle=alert(1)>x</details>",
		forbid: []string{"<details"},
	},
	{
		name: "autolink",
		in:   `<https://example.org/a?b=1&c=2>`,
		want: []string{`<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noreferrer noopener">https://example.org/a?b=1&amp;c=2</a>`},
	},
	{
		name: "bare url is linkified",
		in:   `see https://trevorproject.example/help for more`,
		want: []string{`see <a href="https://trevorproject.example/help" rel="nofollow noreferrer noopener">https://trevorproject.example/help</a> for more`},
	},
	{
		name: "www is linkified with http",
		in:   `www.example.org`,
		want: []string{`<a href="http://www.example.org" rel="nofollow noreferrer noopener">www.example.org</a>`},
	},
	{
		name: "email is linkified with mailto",
		in:   `write to help@example.org`,
		want: []string{`<a href="mailto:help@example.org" rel="nofollow noreferrer noopener">help@example.org</a>`},
	},
	{
		name:   "ftp is not linkified",
		in:     `ftp://files.example.org/x`,
		forbid: []string{"<a"},
	},
	{
		name:   "no target blank",
		in:     `[x](https://example.org)`,
		want:   []string{`rel="nofollow noreferrer noopener"`},
		forbid: []string{"target="},
	},
	{
		name:   "attribute syntax is not enabled",
		in:     "# Heading {#main .btn onclick=alert(1)}",
		want:   []string{"<h3>Heading {#main .btn onclick=alert(1)}</h3>"},
		forbid: []string{` id=`, ` class=`},
	},
	{
		name:   "heading has no id",
		in:     "## main",
		want:   []string{"<h4>main</h4>"},
		forbid: []string{" id="},
	},
	{
		name:   "nul byte",
		in:     "a\x00b <scr\x00ipt>",
		forbid: []string{"<scr", "\x00"},
	},
	{
		name:   "unclosed tag",
		in:     `<a href="https://example.org" onclick="x"`,
		forbid: []string{"<a href"},
	},
	{
		name:   "link in code is not a link",
		in:     "`<a href=\"javascript:alert(1)\">x</a>`",
		want:   []string{"<code>&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;</code>"},
		forbid: []string{"<a "},
	},
}

func TestRenderXSS(t *testing.T) {
	r := New()
	for _, tc := range xssCases {
		t.Run(tc.name, func(t *testing.T) {
			out := r.Render(tc.in)
			lower := strings.ToLower(out)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q\n in: %q\nout: %q", w, tc.in, out)
				}
			}
			for _, f := range tc.forbid {
				if strings.Contains(lower, strings.ToLower(f)) {
					t.Errorf("output contains %q\n in: %q\nout: %q", f, tc.in, out)
				}
			}
			if err := checkSafe(out); err != nil {
				t.Errorf("%v\n in: %q\nout: %q", err, tc.in, out)
			}
		})
	}
}

func TestRenderMarkdown(t *testing.T) {
	r := New()
	const a = `rel="nofollow noreferrer noopener"`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"paragraph", "Hi, I'm new here.", "<p>Hi, I&#39;m new here.</p>\n"},
		{"emphasis", "*so* _very_ **proud** __of__ you", "<p><em>so</em> <em>very</em> <strong>proud</strong> <strong>of</strong> you</p>\n"},
		{"strikethrough", "~~never~~ sometimes", "<p><del>never</del> sometimes</p>\n"},
		{"soft line break is a line break", "line one\nline two", "<p>line one<br>\nline two</p>\n"},
		{"hard line break", "line one  \nline two", "<p>line one<br>\nline two</p>\n"},
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"unordered list", "- tea\n- blanket\n- a good book", "<ul>\n<li>tea</li>\n<li>blanket</li>\n<li>a good book</li>\n</ul>\n"},
		{"ordered list with start", "3. three\n4. four", "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"},
		{"nested list", "- a\n  - b", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"},
		{"task list", "- [ ] call the helpline\n- [x] drink water", "<ul>\n<li><input disabled=\"\" type=\"checkbox\"> call the helpline</li>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> drink water</li>\n</ul>\n"},
		{"blockquote", "> you are valid", "<blockquote>\n<p>you are valid</p>\n</blockquote>\n"},
		{"inline code", "use `they/them`", "<p>use <code>they/them</code></p>\n"},
		{"fenced code drops language", "```go\nx := \"<b>\"\n```", "<pre><code>x := &#34;&lt;b&gt;&#34;\n</code></pre>\n"},
		{"indented code", "    code here", "<pre><code>code here\n</code></pre>\n"},
		{"thematic break", "a\n\n---\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n"},
		{"h1 and h2 are demoted", "# One\n\n## Two", "<h3>One</h3>\n<h4>Two</h4>\n"},
		{"h3 to h6 shift and clamp", "### Three\n#### Four\n##### Five\n###### Six", "<h5>Three</h5>\n<h6>Four</h6>\n<h6>Five</h6>\n<h6>Six</h6>\n"},
		{"setext heading", "Title\n=====", "<h3>Title</h3>\n"},
		{"link", "[resources](https://example.org/help)", "<p><a href=\"https://example.org/help\" " + a + ">resources</a></p>\n"},
		{"mailto link", "[mail us](mailto:hi@example.org)", "<p><a href=\"mailto:hi@example.org\" " + a + ">mail us</a></p>\n"},
		{"link with emphasis", "[**big** help](https://example.org)", "<p><a href=\"https://example.org\" " + a + "><strong>big</strong> help</a></p>\n"},
		{"table", "| day | mood |\n|:--|--:|\n| mon | ok |",
			"<div class=\"table-scroll\"><table>\n<thead>\n<tr>\n<th align=\"left\">day</th>\n<th align=\"right\">mood</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">mon</td>\n<td align=\"right\">ok</td>\n</tr>\n</tbody>\n</table></div>\n"},
		{"heart is text", "love you <3", "<p>love you &lt;3</p>\n"},
		{"angle-bracket placeholder is kept", "tell <name> tonight", "<p>tell &lt;name&gt; tonight</p>\n"},
		{"entities", "fish &amp; chips &copy; &#9829;", "<p>fish &amp; chips © ♥</p>\n"},
		{"escaped markdown", `\*not emphasis\*`, "<p>*not emphasis*</p>\n"},
		{"emoji and rtl text", "🏳️‍🌈 שלום مرحبا", "<p>🏳️‍🌈 שלום مرحبا</p>\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Render(tc.in); got != tc.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	r := New()
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"empty", "", 10, ""},
		{"no limit", "# Hello\n\nworld", 0, "Hello world"},
		{"markup removed", "**Coming out** to my _mum_ ~~tomorrow~~ `soon`", 0, "Coming out to my mum tomorrow soon"},
		{"whitespace collapsed", "a  \n\n\n  b\t\tc\n- d\n- e", 0, "a b c d e"},
		{"link text, not url", "[the guide](https://example.org/guide)", 0, "the guide"},
		{"bare url kept", "see https://example.org/x", 0, "see https://example.org/x"},
		{"image alt text", "![a cat asleep](https://example.org/c.png) aww", 0, "a cat asleep aww"},
		{"raw html is literal", "<b>hi</b> <3", 0, "<b>hi</b> <3"},
		{"html block is literal", "<div>\nhi\n</div>", 0, "<div> hi </div>"},
		{"entities resolved", "fish &amp; chips &#9829;", 0, "fish & chips ♥"},
		{"escapes resolved", `\*literal\*`, 0, "*literal*"},
		{"code block", "```\nx = 1\n```\nafter", 0, "x = 1 after"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", 0, "a b 1 2"},
		{"task list", "- [x] done\n- [ ] todo", 0, "done todo"},
		{"nbsp is space", "a&nbsp;b", 0, "a b"},
		{"fits exactly", "one two", 7, "one two"},
		{"cut at word boundary", "Is it normal to feel nervous before a first meeting?", 30, "Is it normal to feel nervous…"},
		{"cut right before a space", "one two three", 8, "one two…"},
		{"trailing punctuation trimmed", "Hello, friend, how are you", 15, "Hello, friend…"},
		{"long word is cut mid-word", "https://example.org/a/very/long/path/indeed", 20, "https://example.org…"},
		{"runes not bytes", "ünïcödé wörds ärë fïnë", 14, "ünïcödé wörds…"},
		{"no spaces language", "今日はとても良い天気ですね", 6, "今日はとて…"},
		{"max one", "hello", 1, "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Plain(tc.in, tc.max)
			if got != tc.want {
				t.Errorf("Plain(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if tc.max > 0 && utf8.RuneCountInString(got) > tc.max {
				t.Errorf("Plain(%q, %d) = %q is %d runes long", tc.in, tc.max, got, utf8.RuneCountInString(got))
			}
		})
	}
}

// TestLongInput checks the guards against hostile lengths: Render shows
// oversized input as text instead of parsing it, and Plain reads only the
// beginning of a long post but still says there is more.
func TestLongInput(t *testing.T) {
	r := New()

	huge := strings.Repeat("[a](<script>", maxMarkdownBytes/12+1)
	out := r.Render(huge)
	if !strings.HasPrefix(out, "<p>[a](&lt;script&gt;") {
		t.Errorf("oversized input not shown as text: %.80q", out)
	}
	if err := checkSafe(out); err != nil {
		t.Error(err)
	}

	long := strings.Repeat("Nobody here will judge you. ", 2000) + "🌈" + strings.Repeat("ünï ", 3000)
	if got, want := r.Plain(long, 1<<40), strings.Join(strings.Fields(long), " "); got != want {
		t.Errorf("Plain(long, huge) lost text: %d bytes, want %d", len(got), len(want))
	}
	for _, max := range []int{1, 40, 160, 5000} {
		got := r.Plain(long, max)
		if !utf8.ValidString(got) {
			t.Errorf("Plain(long, %d) is not valid UTF-8", max)
		}
		if n := utf8.RuneCountInString(got); n > max {
			t.Errorf("Plain(long, %d) has %d runes", max, n)
		}
		if !strings.HasSuffix(got, "…") {
			t.Errorf("Plain(long, %d) = %.60q… does not end with an ellipsis", max, got)
		}
	}
	// Cut inside a multi-byte character: the prefix must still be valid.
	odd := "x" + strings.Repeat("é", 20000)
	if got := r.Plain(odd, 10); !utf8.ValidString(got) || got != "x"+strings.Repeat("é", 8)+"…" {
		t.Errorf("Plain(odd, 10) = %q", got)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		more bool
		want string
	}{
		{"one two", 7, false, "one two"},
		{"one two", 7, true, "one…"},
		{"one two", 8, true, "one two…"},
		{"one two", 0, true, "one two…"},
		{"one two.", 0, true, "one two…"},
		{"", 5, true, "…"},
		{"abcdef", 3, false, "ab…"},
	}
	for _, tc := range tests {
		if got := truncate(tc.s, tc.max, tc.more); got != tc.want {
			t.Errorf("truncate(%q, %d, %v) = %q, want %q", tc.s, tc.max, tc.more, got, tc.want)
		}
	}
}

// TestConcurrent lets the race detector see one Renderer used from many
// goroutines at once.
func TestConcurrent(t *testing.T) {
	r := New()
	inputs := []string{benchPost, "# hi\n\n<script>x</script> [a](https://example.org)", "| a |\n|---|\n| b |"}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = r.Render(in)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(inputs)
				if got := r.Render(inputs[k]); got != want[k] {
					t.Errorf("concurrent Render differs for input %d", k)
				}
				_ = r.Plain(inputs[k], 80)
			}
		})
	}
	wg.Wait()
}

// allowedTags are the only elements Render may produce.
var allowedTags = map[string]bool{
	"p": true, "br": true, "hr": true, "em": true, "strong": true, "del": true,
	"code": true, "pre": true, "blockquote": true, "ul": true, "ol": true, "li": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "div": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"a": true, "input": true, "img": true,
}

var (
	// Matched against the source of each tag. Attribute values in the
	// output never contain spaces (URLs are percent-encoded), so " on…="
	// can only be an attribute name.
	onAttr       = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	hxAttr       = regexp.MustCompile(`(?i)\s(data-)?hx-[a-z-]*\s*=`)
	scriptScheme = regexp.MustCompile(`(?i)=\s*["']?\s*((java|vb)script|data):`)
	// Matched against a parsed attribute value with whitespace and control
	// characters removed, as a browser would ignore them.
	scriptValue = regexp.MustCompile(`(?i)^((java|vb)script|data):`)
)

// checkSafe is the property Render must hold for any input. Text in the
// output is always escaped (a "<" the author typed becomes "&lt;"), so any
// literal "<" starts a tag: "<script" must not occur anywhere, and an
// <img> only with the path of a picture uploaded here.
// Attribute-like words such as "javascript:" or "onclick=" may appear as
// harmless escaped text (someone can write about them), so those are
// checked inside tags, both in the raw tag source and in the parsed
// attributes.
func checkSafe(out string) error {
	lower := strings.ToLower(out)
	for _, s := range []string{"<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form", "<math", "<!--"} {
		if strings.Contains(lower, s) {
			return fmt.Errorf("output contains %q", s)
		}
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		default:
			continue
		}
		raw := string(z.Raw())
		tok := z.Token()
		if !allowedTags[tok.Data] {
			return fmt.Errorf("disallowed element %q", raw)
		}
		if onAttr.MatchString(raw) {
			return fmt.Errorf("on* attribute in %q", raw)
		}
		if hxAttr.MatchString(raw) {
			return fmt.Errorf("hx-* attribute in %q", raw)
		}
		if scriptScheme.MatchString(raw) {
			return fmt.Errorf("script URL in %q", raw)
		}
		for _, at := range tok.Attr {
			key, val := strings.ToLower(at.Key), strings.ToLower(at.Val)
			compact := strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, val)
			switch {
			case strings.HasPrefix(key, "on"), strings.Contains(key, "hx-"),
				key == "style", key == "id", key == "name", key == "target":
				return fmt.Errorf("attribute %q in %q", key, raw)
			case key == "src" && !(tok.Data == "img" && localImage.MatchString(at.Val)):
				return fmt.Errorf("src that is not an uploaded picture in %q", raw)
			case key == "class" && !(tok.Data == "div" && val == tableScrollClass):
				return fmt.Errorf("class in %q", raw)
			case scriptValue.MatchString(compact):
				return fmt.Errorf("script URL in attribute of %q", raw)
			case key == "href" && !(strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "mailto:")):
				return fmt.Errorf("href with a disallowed scheme in %q", raw)
			}
		}
		if tok.Data == "img" && !localImage.MatchString(attrOf(tok, "src")) {
			return fmt.Errorf("image that is not an uploaded picture: %q", raw)
		}
		if tok.Data == "a" && tt == html.StartTagToken && !strings.Contains(raw, `rel="nofollow noreferrer noopener"`) {
			return fmt.Errorf("link without rel in %q", raw)
		}
	}
}

func attrOf(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestRenderUploadedPictures: pictures uploaded here show as images with
// their description; nothing else ever becomes an <img>.
func TestRenderUploadedPictures(t *testing.T) {
	const id = "abcdefghijklmnopqrstuvwxyz"
	r := New()
	tests := []struct {
		name, in     string
		want, forbid []string
	}{
		{"uploaded", "![my cat](/uploads/" + id + ")",
			[]string{`<img src="/uploads/` + id + `" alt="my cat" loading="lazy">`}, nil},
		{"description escaped", `![a "quoted" <b> & co](/uploads/` + id + `)`,
			[]string{`alt="a &#34;quoted&#34; &lt;b&gt; &amp; co"`}, []string{"<b>"}},
		{"escapes resolved", `![a \[tricky\] one &amp; more](/uploads/` + id + `)`,
			[]string{`alt="a [tricky] one &amp; more"`}, nil},
		{"no description", "![](/uploads/" + id + ")", []string{"(a picture without a description)"}, []string{"<img"}},
		{"remote", "![x](https://tracker.example/uploads/" + id + ")", nil, []string{"<img"}},
		{"protocol-relative", "![x](//tracker.example/uploads/" + id + ")", nil, []string{"<img", "tracker"}},
		{"not an id", "![x](/uploads/../../etc/passwd)", nil, []string{"<img"}},
		{"uppercase id", "![x](/uploads/" + strings.ToUpper(id) + ")", nil, []string{"<img"}},
		{"with a query", "![x](/uploads/" + id + "?a=1)", nil, []string{"<img"}},
		{"inside a link", "[![x](/uploads/" + id + ")](https://example.org/)", nil, []string{"<img"}},
		{"relative link stays text", "[x](/uploads/" + id + ")", []string{"<p>x</p>"}, []string{"<a"}},
		{"raw img", `<img src="/uploads/` + id + `">`, []string{"&lt;img"}, []string{"<img"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := r.Render(tc.in)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("Render(%q) = %q; want %q in it", tc.in, out, w)
				}
			}
			for _, f := range tc.forbid {
				if strings.Contains(out, f) {
					t.Errorf("Render(%q) = %q; must not contain %q", tc.in, out, f)
				}
			}
			if err := checkSafe(out); err != nil {
				t.Error(err)
			}
		})
	}
}

// FuzzRender checks checkSafe on arbitrary input. CI runs only the seeds;
// run `go test -fuzz=FuzzRender ./internal/markup/` to explore.
func FuzzRender(f *testing.F) {
	for _, tc := range xssCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		benchPost,
		"[a](https://example.org) ![b](https://example.org/b.png) <https://x.example>",
		"- [ ] one\n- [x] two\n\n| a | b |\n|---|---|\n| <b> | `c` |",
		"> quote\n>\n> - list\n\n```\n<script>\n```",
		"[x]: javascript:alert(1)\n\n[y][x] ![z][x]",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<img src=\"https://e.example/p.png\">",
		"![a picture](/uploads/abcdefghijklmnopqrstuvwxyz) ![](/uploads/abcdefghijklmnopqrstuvwxyz)",
		"*a **b** c* ~~d~~ www.example.org/<script>",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, in string) {
		out := r.Render(in)
		if err := checkSafe(out); err != nil {
			t.Fatalf("%v\n in: %q\nout: %q", err, in, out)
		}
		_ = r.Plain(in, 60)
	})
}

// benchPost is a ~2 KB post of the kind people write here, typed as people
// type in a textarea (no manual line wrapping).
const benchPost = `## Coming out to my grandma went… okay?

Hi everyone. I've been lurking for a while and **finally** want to share something. Last weekend I told my grandma I'm *nonbinary*. I was so scared I practically rehearsed it in the mirror for a week.

Some things that helped me, in case anyone else is planning something similar:

1. I picked a **quiet moment** — not a holiday, not a family dinner.
2. I wrote down what I wanted to say on my phone.
3. I had a friend on standby to text afterwards.
4. I reminded myself that her first reaction isn't her *only* reaction.

She was quiet for a long time and then asked whether she should still call me by my name. I said yes, and that I use they/them. She's getting it wrong a lot, but she's *trying*, and yesterday she corrected herself without me saying anything.

> "You're still my grandchild. I just need time to learn the new words."

Honestly that's more than I expected. A few things I'm still unsure about:

- [x] Tell grandma
- [ ] Tell my uncle (he can be harsh)
- [ ] Ask school to update my name on the register

Resources that helped: https://example.org/coming-out-guide and the [pronouns explainer](https://example.org/pronouns). If you need to talk to someone right now, the help line in the header is there for you ~~even at 3am~~ any time.

| Who        | Knows? | How it went |
|------------|:------:|-------------|
| Best friend | yes   | amazing     |
| Grandma     | yes   | okay-ish    |
| Uncle       | no    | —           |

For anyone wondering about the school part: I emailed my head of year and asked what they need from me. They said a parent usually signs a form, which is the scary bit, because my mum doesn't know yet. I'm going to ask the school counsellor whether there's another way. If anyone has been through this, I'd love to hear how it went for you. No pressure to share details, and it's okay to just read.

Thank you for being here. Reading your posts made me feel a lot less alone. 💜 `

func BenchmarkRender(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(benchPost)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Render(benchPost)
	}
}

func BenchmarkPlain(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(benchPost)))
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Plain(benchPost, 160)
	}
}
