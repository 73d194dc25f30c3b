package training

// Authoring: coordinators and admins create and edit courses and their
// modules, and add a copy of Kindred's starter course.

import (
	"context"
	"fmt"
	"time"

	"kindred"
)

// CourseEditor is a course with its modules, for those who author it.
type CourseEditor struct {
	Place   *Place
	Course  *kindred.Course
	Modules []*kindred.Module
}

// NewCourse checks that the actor may create courses, for the form.
func (s *Service) NewCourse(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Place, error) {
	return s.coordinate(ctx, actor, orgSlug)
}

// CreateCourse adds a course, unpublished unless d says otherwise.
func (s *Service) CreateCourse(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.CourseDraft) (*Place, *kindred.Course, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	now := s.nowUTC()
	c := &kindred.Course{ID: kindred.NewID(), OrgID: p.Org.ID, Slug: d.Slug, Title: d.Title, Summary: d.Summary,
		ValidFor: d.ValidFor, Published: d.Published, CreatedBy: actor.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateCourse(ctx, c); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, nil, kindred.Invalid{"slug": "Another course already uses that web address. Please choose another."}.Err()
		}
		return nil, nil, fmt.Errorf("create course: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "training.course.create", c.ID, c.Slug)
	return p, c, nil
}

// Editor returns a course and its modules for its authors.
func (s *Service) Editor(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string) (*CourseEditor, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	c, err := s.course(ctx, p, courseSlug)
	if err != nil {
		return nil, err
	}
	mods, err := s.store.ListModules(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("list modules: %w", err)
	}
	return &CourseEditor{Place: p, Course: c, Modules: mods}, nil
}

// UpdateCourse changes a course's title, summary, validity or whether
// trainees see it.
func (s *Service) UpdateCourse(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string, u kindred.CourseUpdate) (*Place, *kindred.Course, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.course(ctx, p, courseSlug)
	if err != nil {
		return nil, nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, nil, err
	}
	c, err = s.store.UpdateCourse(ctx, c.ID, u, s.nowUTC())
	if err != nil {
		return nil, nil, fmt.Errorf("update course: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "training.course.update", c.ID, fmt.Sprintf("published=%t", c.Published))
	return p, c, nil
}

// AddStarterCourse adds the organisation's own copy of Kindred's starter
// course, published, for its coordinators to use as it is or adapt. A
// second copy is refused (ECONFLICT) with the way to the first.
func (s *Service) AddStarterCourse(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Place, *kindred.Course, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	d, mods := Starter()
	existing, err := s.store.FindCourseBySlug(ctx, p.Org.ID, d.Slug)
	switch kindred.ErrorCode(err) {
	case "":
		return p, existing, kindred.Errorf(kindred.ECONFLICT, "%s already has Kindred's starter course (“%s”). You can adapt that copy as you like.", p.Org.Name, existing.Title)
	case kindred.ENOTFOUND:
	default:
		return nil, nil, fmt.Errorf("find starter course: %w", err)
	}
	c, err := s.copyCourse(ctx, p.Org.ID, actor.AccountID(), d, mods, s.nowUTC())
	if kindred.ErrorCode(err) == kindred.ECONFLICT {
		// Someone added it a moment ago.
		return nil, nil, kindred.Errorf(kindred.ECONFLICT, "%s already has Kindred's starter course.", p.Org.Name)
	}
	if err != nil {
		return nil, nil, err
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "training.course.starter", c.ID, c.Slug)
	return p, c, nil
}

// AddStarterCourse stores a published copy of the starter course in an
// organisation straight through the store, for the demo and set-up
// scripts, which have no coordinator to act as.
func AddStarterCourse(ctx context.Context, store kindred.Store, orgID, createdBy string, now time.Time) (*kindred.Course, []*kindred.Module, error) {
	d, mods := Starter()
	c, err := copyCourseTo(ctx, store, orgID, createdBy, d, mods, now)
	if err != nil {
		return nil, nil, err
	}
	list, err := store.ListModules(ctx, c.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("list modules: %w", err)
	}
	return c, list, nil
}

func (s *Service) copyCourse(ctx context.Context, orgID, createdBy string, d kindred.CourseDraft, mods []kindred.Module, now time.Time) (*kindred.Course, error) {
	return copyCourseTo(ctx, s.store, orgID, createdBy, d, mods, now)
}

func copyCourseTo(ctx context.Context, store kindred.Store, orgID, createdBy string, d kindred.CourseDraft, mods []kindred.Module, now time.Time) (*kindred.Course, error) {
	d.Published = true
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("starter course: %w", err)
	}
	// Check every module before storing anything, so a defect in the
	// content never leaves half a course behind.
	for i := range mods {
		if err := mods[i].Validate(); err != nil {
			return nil, fmt.Errorf("starter course module %d: %w", i+1, err)
		}
	}
	c := &kindred.Course{ID: kindred.NewID(), OrgID: orgID, Slug: d.Slug, Title: d.Title, Summary: d.Summary,
		ValidFor: d.ValidFor, Published: true, CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateCourse(ctx, c); err != nil {
		return nil, err
	}
	for _, m := range mods {
		m.ID, m.CourseID, m.UpdatedAt = "", c.ID, now
		if err := store.SaveModule(ctx, &m); err != nil {
			return nil, fmt.Errorf("add starter module: %w", err)
		}
	}
	c.ModuleCount = len(mods)
	return c, nil
}

// ModuleToEdit returns a module of a course for its authors.
func (s *Service) ModuleToEdit(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string) (*CourseEditor, *kindred.Module, error) {
	ed, err := s.Editor(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.module(ctx, ed.Course, moduleID)
	if err != nil {
		return nil, nil, err
	}
	return ed, m, nil
}

// SaveModule adds a module at the end of the course (m.ID empty) or
// replaces one's content. m is checked with Module.Validate; its field
// errors name the form fields ("questions.0", "scenarios.1"…).
func (s *Service) SaveModule(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string, m kindred.Module) (*CourseEditor, *kindred.Module, error) {
	ed, err := s.Editor(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return nil, nil, err
	}
	if m.ID != "" {
		if _, err := s.module(ctx, ed.Course, m.ID); err != nil {
			return nil, nil, err
		}
	} else if len(ed.Modules) >= kindred.MaxModules {
		return nil, nil, kindred.Errorf(kindred.EINVALID, "A course can have up to %d modules. Perhaps this one could be a course of its own?", kindred.MaxModules)
	}
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	m.CourseID, m.UpdatedAt = ed.Course.ID, s.nowUTC()
	if err := s.store.SaveModule(ctx, &m); err != nil {
		return nil, nil, fmt.Errorf("save module: %w", err)
	}
	s.audit.Record(ctx, ed.Place.Org.ID, actor.AccountID(), "training.module.save", m.ID, "course="+ed.Course.ID)
	return ed, &m, nil
}

// DeleteModule removes a module and everyone's progress on it.
func (s *Service) DeleteModule(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string) (*CourseEditor, error) {
	ed, m, err := s.ModuleToEdit(ctx, actor, orgSlug, courseSlug, moduleID)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteModule(ctx, m.ID); err != nil {
		return nil, fmt.Errorf("delete module: %w", err)
	}
	s.audit.Record(ctx, ed.Place.Org.ID, actor.AccountID(), "training.module.delete", m.ID, "course="+ed.Course.ID)
	return ed, nil
}

// MoveModule moves a module one place earlier (up) or later.
func (s *Service) MoveModule(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string, up bool) (*CourseEditor, error) {
	ed, m, err := s.ModuleToEdit(ctx, actor, orgSlug, courseSlug, moduleID)
	if err != nil {
		return nil, err
	}
	delta := 1
	if up {
		delta = -1
	}
	if err := s.store.MoveModule(ctx, m.ID, delta); err != nil {
		return nil, fmt.Errorf("move module: %w", err)
	}
	return ed, nil
}
