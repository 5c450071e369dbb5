// trivy-config: Trivy's config scan of Kubernetes manifests, and nothing else of Trivy. It runs
// Trivy's own Kubernetes scanner (pkg/iac/scanners/kubernetes) with the checks and libraries
// embedded in the pinned Trivy module (trivy-checks), as `trivy config --misconfig-scanners
// kubernetes --skip-check-update` does, offline. hack/tools/build.sh compiles it against
// TRIVY_VERSION: it links about 740 packages where the trivy binary links about 3,080 (every
// scanner, image and SBOM code), which is the compile a cold machine saves (hack/README.md).
//
// Usage: trivy-config [--ignorefile FILE] PATH...   (PATH: a manifest file or a directory of them)
// Prints one line per finding (file:line ID SEVERITY title: message), then a count for each PATH on
// stderr, and exits 1 when there is a finding, 2 on bad usage or when a file yields no Kubernetes
// object to check. The checks are compiled once for all the PATHs. The ignore file has
// .trivyignore's format: the first word of a line is a check ID, # starts a comment.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aquasecurity/trivy/pkg/iac/rego"
	"github.com/aquasecurity/trivy/pkg/iac/scan"
	k8s "github.com/aquasecurity/trivy/pkg/iac/scanners/kubernetes"
)

// trivyVersion is TRIVY_VERSION without its v, set by build.sh: checks that need a newer Trivy than
// this are left out, as the trivy binary of that version leaves them out.
var trivyVersion = "dev"

func main() {
	ignoreFile := flag.String("ignorefile", "", "check IDs to ignore, .trivyignore format")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: trivy-config [--ignorefile FILE] PATH...")
		os.Exit(2)
	}
	ignored, err := readIgnoreFile(*ignoreFile)
	if err != nil {
		fail(err)
	}
	scanner := k8s.NewScanner(
		rego.WithEmbeddedPolicies(true),
		rego.WithEmbeddedLibraries(true),
		rego.WithTrivyVersion(trivyVersion),
	)
	findings := 0
	for _, path := range flag.Args() {
		lines, err := scanPath(scanner, path, ignored)
		if err != nil {
			fail(err)
		}
		for _, line := range lines {
			fmt.Println(line)
		}
		fmt.Fprintf(os.Stderr, "%s: %d findings (%d checks ignored)\n", path, len(lines), len(ignored))
		findings += len(lines)
	}
	if findings > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "trivy-config: %v\n", err)
	os.Exit(2)
}

func readIgnoreFile(path string) (map[string]bool, error) {
	ignored := map[string]bool{}
	if path == "" {
		return ignored, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--ignorefile: %w", err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ignored[strings.Fields(line)[0]] = true
	}
	return ignored, lines.Err()
}

// fsScanner is Trivy's Kubernetes scanner, as far as this uses it.
type fsScanner interface {
	ScanFS(ctx context.Context, fsys fs.FS, rootDir string) (scan.Results, error)
}

// scanPath scans one manifest file, or every file under one directory, and returns the findings
// not ignored, sorted.
func scanPath(scanner fsScanner, path string, ignored map[string]bool) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	root, target := path, "."
	if !info.IsDir() {
		root, target = filepath.Dir(path), filepath.Base(path)
	}
	results, err := scanner.ScanFS(context.Background(), os.DirFS(root), target)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// A file Trivy cannot parse is logged and skipped by its scanner: here it is an error, so that a
	// broken render never passes as "no findings".
	if len(results) == 0 {
		return nil, errors.New(path + ": no Kubernetes object was checked (not a manifest, or not parsed)")
	}
	var lines []string
	for _, result := range results.GetFailed() {
		if isIgnored(result.Rule(), ignored) {
			continue
		}
		r := result.Range()
		lines = append(lines, fmt.Sprintf("%s:%d %s %s %s: %s",
			filepath.Join(root, r.GetFilename()), r.GetStartLine(), result.Rule().ID, result.Severity(),
			result.Rule().Summary, result.Description()))
	}
	sort.Strings(lines)
	return lines, nil
}

// isIgnored matches an ignore entry against every name Trivy gives the check (its ID, the older
// AVD ID, the long ID, its aliases), as Trivy's own ignore file does (scan.Rule.HasID).
func isIgnored(rule scan.Rule, ignored map[string]bool) bool {
	for id := range ignored {
		if rule.HasID(id) {
			return true
		}
	}
	return false
}
