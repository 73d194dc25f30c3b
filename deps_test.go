package kindred_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDependencyDirection keeps the layering of shared/DESIGN.md:
// kindred ← feature packages ← web ← cmd/kindred, with adapters importing
// only kindred. Test files are exempt (they may build real environments).
func TestDependencyDirection(t *testing.T) {
	imports := map[string][]string{} // package dir -> kindred imports
	std := map[string]map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if std[dir] == nil {
			std[dir] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "kindred" || strings.HasPrefix(p, "kindred/") {
				imports[dir] = append(imports[dir], p)
			} else if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				std[dir][p] = true // third party
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(std) < 5 {
		t.Fatalf("found only %d packages; is the test running from the module root?", len(std))
	}
	for p := range std["."] {
		t.Errorf("package kindred imports %s: the vocabulary must use the standard library only", p)
	}
	if len(imports["."]) > 0 {
		t.Errorf("package kindred imports %v", imports["."])
	}
	adapters := []string{"internal/sqlstore", "internal/broker", "internal/markup", "internal/ical"}
	for dir, deps := range imports {
		for _, dep := range deps {
			target := strings.TrimPrefix(dep, "kindred/")
			switch {
			case isUnder(dir, adapters...) && dep != "kindred" && !isUnder(target, adapterRoot(dir, adapters)):
				t.Errorf("%s imports %s: adapters import only package kindred", dir, dep)
			case strings.HasPrefix(dir, "internal/") && !isUnder(dir, "internal/kindredtest") && isUnder(target, "cmd"):
				t.Errorf("%s imports %s: nothing imports a command", dir, dep)
			case !isUnder(dir, "internal/web", "cmd", "internal/kindredtest", "bench") && isUnder(target, "internal/web"):
				t.Errorf("%s imports %s: only programs (cmd/, bench/) and tests may depend on the web layer", dir, dep)
			case isUnder(dir, "internal/web") && isUnder(target, "internal/sqlstore"):
				t.Errorf("%s imports %s: the web layer talks to services, never to storage; cmd/kindred wires them", dir, dep)
			case isUnder(dir, "internal/access") && dep != "kindred":
				t.Errorf("%s imports %s: the policy depends only on the vocabulary", dir, dep)
			}
		}
	}
}

// adapterRoot returns the adapter a directory belongs to; an adapter's own
// subpackages (e.g. its test helpers) may import it.
func adapterRoot(dir string, adapters []string) string {
	for _, a := range adapters {
		if isUnder(dir, a) {
			return a
		}
	}
	return dir
}

func isUnder(dir string, roots ...string) bool {
	for _, r := range roots {
		if dir == r || strings.HasPrefix(dir, r+"/") {
			return true
		}
	}
	return false
}
