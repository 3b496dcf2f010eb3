package link

import (
	"path/filepath"
	"strings"
)

// ProjectOf returns the project of the file at path inside root: the
// nearest folder from path's own up to root for which isProject is true,
// else root itself (a request file with no project folder belongs to the
// root, so `api-tests/` beside `infra/` still links). Both paths are
// absolute and clean. isProject says whether a folder holds an API
// definition or a project marker; Snapshot.ProjectOf answers it from the
// files the workspace walk found.
func ProjectOf(root, path string, isProject func(dir string) bool) string {
	if !Within(root, path) {
		return filepath.Dir(path)
	}
	for d := filepath.Dir(path); Within(root, d); d = filepath.Dir(d) {
		if d == root || isProject(d) {
			return d
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return root
}

// ProjectOf returns the project of a file of the workspace (see the
// package function ProjectOf): the nearest folder that holds a template or
// OpenAPI document the workspace read, or a project marker. It returns ""
// for a snapshot without a root (linking is then not restricted).
func (s *Snapshot) ProjectOf(path string) string {
	if s.Root == "" {
		return "" // a snapshot built without a root: no projects
	}
	if p, ok := s.projectOf.Load(path); ok {
		return p.(string)
	}
	p := ProjectOf(s.Root, path, func(dir string) bool { return s.projectDirs[dir] })
	s.projectOf.Store(path, p)
	return p
}

// inProject reports whether file (an API definition) lies in project or
// one of its sub-folders.
func inProject(project, file string) bool {
	return file != "" && Within(project, file)
}

// SetProjectDirs records the project folders of a snapshot: the folders of
// its templates and OpenAPI documents and those holding a marker.
func (s *Snapshot) SetProjectDirs(markers []string) {
	s.projectDirs = map[string]bool{}
	// An OpenAPI document that a template's API takes as its definition
	// (DefinitionUri, AWS::Include) is part of that template's project.
	included := map[string]bool{}
	if s.Model != nil {
		for _, api := range s.Model.APIs {
			if api.DefinitionFile != "" && api.DefinitionFile != api.File {
				included[api.DefinitionFile] = true
			}
		}
	}
	for p, fd := range s.Files {
		if fd.Template != nil || fd.OpenAPI != nil && !included[p] {
			s.projectDirs[filepath.Dir(p)] = true
		}
	}
	for _, m := range markers {
		s.projectDirs[filepath.Dir(m)] = true
	}
}

// Within reports whether path is dir or lies inside it (both clean, both
// absolute or both relative to the same folder).
func Within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
