package demo

import (
	"context"
	"fmt"
	"time"

	"kindred"
	"kindred/internal/training"
)

// seedTraining adds the starter course to the demo organisation, signs the
// demo's peer supporters off on it and leaves a trainee part-way through.
// ids maps handles to account ids.
//
// Everything goes straight through the store: the demo runs in many tests
// and must stay fast.
func seedTraining(ctx context.Context, store kindred.Store, org *kindred.Organization, ids map[string]string, now time.Time) error {
	coord := ids["margo_knits"]
	course, mods, err := training.AddStarterCourse(ctx, store, org.ID, coord, now.Add(-120*24*time.Hour))
	if err != nil {
		return fmt.Errorf("seed demo: starter course: %w", err)
	}
	validFor := course.ValidFor
	if validFor == 0 {
		validFor = 365 * 24 * time.Hour
	}
	// kwame_tide and wren_moth passed everything and were signed off;
	// wren may support members aged 13–17.
	for _, s := range []struct {
		handle  string
		youth   bool
		daysAgo int
	}{{"kwame_tide", false, 90}, {"wren_moth", true, 60}} {
		at := now.Add(-time.Duration(s.daysAgo) * 24 * time.Hour)
		if err := passModules(ctx, store, ids[s.handle], mods, len(mods), at); err != nil {
			return err
		}
		var expires *time.Time
		if course.ValidFor > 0 {
			e := at.Add(validFor)
			expires = &e
		}
		x := &kindred.Certification{OrgID: org.ID, CourseID: course.ID, AccountID: ids[s.handle], Decision: kindred.SignOffGranted,
			Note: "Thoughtful reflections throughout. Welcome to the team!", RequestedAt: at.Add(-24 * time.Hour),
			DecidedBy: coord, DecidedAt: &at, ExpiresAt: expires, YouthProgramme: s.youth}
		if err := store.CreateCertification(ctx, x); err != nil {
			return fmt.Errorf("seed demo: sign off %s: %w", s.handle, err)
		}
	}
	// rosa_rue is part-way: three modules passed.
	if err := passModules(ctx, store, ids["rosa_rue"], mods, 3, now.Add(-5*24*time.Hour)); err != nil {
		return err
	}
	// hedgerow_hal finished and waits for margo_knits to review him.
	hal := now.Add(-2 * 24 * time.Hour)
	if err := passModules(ctx, store, ids["hedgerow_hal"], mods, len(mods), hal); err != nil {
		return err
	}
	if len(mods) > 0 {
		x := &kindred.Certification{OrgID: org.ID, CourseID: course.ID, AccountID: ids["hedgerow_hal"], RequestedAt: hal}
		if err := store.CreateCertification(ctx, x); err != nil {
			return fmt.Errorf("seed demo: sign-off request: %w", err)
		}
	}
	return nil
}

// passModules records that the person passed the first n modules at at:
// read, every question right, every reflection answered.
func passModules(ctx context.Context, store kindred.Store, accountID string, mods []*kindred.Module, n int, at time.Time) error {
	for i, m := range mods {
		if i >= n {
			break
		}
		answers := map[string][]int{}
		for _, q := range m.Questions {
			for j, c := range q.Choices {
				if c.Correct {
					answers[q.ID] = append(answers[q.ID], j)
				}
			}
		}
		refl := map[string][]string{}
		for _, sc := range m.Scenarios {
			for range sc.Reflections {
				refl[sc.ID] = append(refl[sc.ID], "I would slow down, listen, and check what they need from me before offering anything.")
			}
		}
		p := &kindred.ModuleProgress{AccountID: accountID, ModuleID: m.ID, CourseID: m.CourseID, ReadAt: &at, Answers: answers,
			Score: len(m.Questions), Reflections: refl, PassedAt: &at, Attempts: 1, UpdatedAt: at}
		if err := store.SaveProgress(ctx, p); err != nil {
			return fmt.Errorf("seed demo: progress: %w", err)
		}
	}
	return nil
}
