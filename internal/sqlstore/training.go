package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"kindred"
)

// Training: courses, their modules, each person's progress and sign-offs.
//
// A module's questions and scenarios, and a person's answers and
// reflections, are JSON text: they are authored, read and marked as a
// whole and never queried inside. The JSON shapes below are the store's
// own, with explicit names, so renaming a Go field cannot silently orphan
// stored content.

type questionJSON struct {
	ID          string       `json:"id"`
	Prompt      string       `json:"prompt"`
	Multiple    bool         `json:"multiple,omitempty"`
	Choices     []choiceJSON `json:"choices"`
	Explanation string       `json:"explanation,omitempty"`
}

type choiceJSON struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

type scenarioJSON struct {
	ID          string   `json:"id"`
	Situation   string   `json:"situation"`
	Reflections []string `json:"reflections"`
}

func encodeQuestions(qs []kindred.Question) (string, error) {
	out := make([]questionJSON, 0, len(qs))
	for _, q := range qs {
		j := questionJSON{ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple, Explanation: q.Explanation, Choices: []choiceJSON{}}
		for _, c := range q.Choices {
			j.Choices = append(j.Choices, choiceJSON(c))
		}
		out = append(out, j)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func encodeScenarios(ss []kindred.Scenario) (string, error) {
	out := make([]scenarioJSON, 0, len(ss))
	for _, s := range ss {
		out = append(out, scenarioJSON{ID: s.ID, Situation: s.Situation, Reflections: append([]string{}, s.Reflections...)})
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// jsonCol scans a JSON text column with decode.
type jsonCol struct{ decode func([]byte) error }

func (c jsonCol) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return c.decode([]byte(v))
	case []byte:
		return c.decode(v)
	case nil:
		return nil
	}
	return fmt.Errorf("scan json: unexpected %T", src)
}

func questionsCol(qs *[]kindred.Question) jsonCol {
	return jsonCol{func(b []byte) error {
		var in []questionJSON
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("decode questions: %w", err)
		}
		out := make([]kindred.Question, 0, len(in))
		for _, j := range in {
			q := kindred.Question{ID: j.ID, Prompt: j.Prompt, Multiple: j.Multiple, Explanation: j.Explanation}
			for _, c := range j.Choices {
				q.Choices = append(q.Choices, kindred.Choice(c))
			}
			out = append(out, q)
		}
		*qs = out
		return nil
	}}
}

func scenariosCol(ss *[]kindred.Scenario) jsonCol {
	return jsonCol{func(b []byte) error {
		var in []scenarioJSON
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("decode scenarios: %w", err)
		}
		out := make([]kindred.Scenario, 0, len(in))
		for _, j := range in {
			out = append(out, kindred.Scenario{ID: j.ID, Situation: j.Situation, Reflections: j.Reflections})
		}
		*ss = out
		return nil
	}}
}

// mapCol scans a JSON object into a map, leaving an empty map for {}.
func mapCol[V any](m *map[string]V) jsonCol {
	return jsonCol{func(b []byte) error {
		out := map[string]V{}
		if err := json.Unmarshal(b, &out); err != nil {
			return fmt.Errorf("decode progress: %w", err)
		}
		*m = out
		return nil
	}}
}

func encodeMap[V any](m map[string]V) (string, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// Courses.

const courseCols = `c.id, c.org_id, c.slug, c.title, c.summary, c.valid_for_ms, c.published, c.created_by,
	c.created_at, c.updated_at`

func courseDest(c *kindred.Course) []any {
	return []any{&c.ID, &c.OrgID, &c.Slug, &c.Title, &c.Summary, durationCol{&c.ValidFor}, &c.Published,
		nullStringCol{&c.CreatedBy}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}}
}

// courseSelect reads a course with how many modules it has.
const courseSelect = `SELECT ` + courseCols + `,
	(SELECT COUNT(*) FROM course_modules cm WHERE cm.course_id = c.id) FROM courses c`

func courseCountDest(c *kindred.Course) []any { return append(courseDest(c), &c.ModuleCount) }

// CreateCourse stores a course. It fills ID, CreatedAt and UpdatedAt and
// rounds ValidFor to the millisecond.
func (db *DB) CreateCourse(ctx context.Context, c *kindred.Course) error {
	fillID(&c.ID)
	fillCreated(&c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.UpdatedAt = norm(c.UpdatedAt)
	c.ValidFor = c.ValidFor.Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO courses (id, org_id, slug, title, summary, valid_for_ms, published,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.OrgID, c.Slug, c.Title, c.Summary, c.ValidFor.Milliseconds(), c.Published,
			nullIfEmpty(c.CreatedBy), ms(c.CreatedAt), ms(c.UpdatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "There is already a course at that web address. Please choose another.")
		}
		return err
	})
	return storeErr("create course", "course", err)
}

// FindCourse returns the course with the id, with its module count.
func (db *DB) FindCourse(ctx context.Context, id string) (*kindred.Course, error) {
	c := new(kindred.Course)
	if err := db.reader().queryRow(ctx, courseSelect+` WHERE c.id = ?`, id).Scan(courseCountDest(c)...); err != nil {
		return nil, storeErr("find course", "course", err)
	}
	return c, nil
}

// FindCourseBySlug returns the organisation's course with the slug.
func (db *DB) FindCourseBySlug(ctx context.Context, orgID, slug string) (*kindred.Course, error) {
	c := new(kindred.Course)
	if err := db.reader().queryRow(ctx, courseSelect+` WHERE c.org_id = ? AND c.slug = ?`, orgID, slug).
		Scan(courseCountDest(c)...); err != nil {
		return nil, storeErr("find course by slug", "course", err)
	}
	return c, nil
}

// ListCourses returns courses by title (ignoring case), with module counts.
func (db *DB) ListCourses(ctx context.Context, f kindred.CourseFilter) ([]*kindred.Course, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `c.org_id = ?`)
		args = append(args, f.OrgID)
	}
	if f.Published != nil {
		where = append(where, `c.published = ?`)
		args = append(args, *f.Published)
	}
	rows, err := db.reader().query(ctx, courseSelect+whereClause(where)+` ORDER BY LOWER(c.title), c.id`, args...)
	if err != nil {
		return nil, storeErr("list courses", "course", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Course, error) {
		c := new(kindred.Course)
		return c, s.Scan(courseCountDest(c)...)
	})
	return out, storeErr("list courses", "course", err)
}

// UpdateCourse changes the fields given, sets UpdatedAt to at and returns
// the course.
func (db *DB) UpdateCourse(ctx context.Context, id string, u kindred.CourseUpdate, at time.Time) (*kindred.Course, error) {
	var set setList
	if u.Title != nil {
		set.add("title", *u.Title)
	}
	if u.Summary != nil {
		set.add("summary", *u.Summary)
	}
	if u.ValidFor != nil {
		set.add("valid_for_ms", u.ValidFor.Milliseconds())
	}
	if u.Published != nil {
		set.add("published", *u.Published)
	}
	set.add("updated_at", ms(norm(at)))
	c := new(kindred.Course)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "course", `UPDATE courses SET `+set.clause()+` WHERE id = ?`, append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, courseSelect+` WHERE c.id = ?`, id).Scan(courseCountDest(c)...)
	})
	if err != nil {
		return nil, storeErr("update course", "course", err)
	}
	return c, nil
}

// Modules.

const moduleCols = `m.id, m.course_id, m.position, m.title, m.competency, m.body, m.pass_mark,
	m.questions, m.scenarios, m.updated_at`

func moduleDest(m *kindred.Module) []any {
	return []any{&m.ID, &m.CourseID, &m.Position, &m.Title, &m.Competency, &m.Body, &m.PassMark,
		questionsCol(&m.Questions), scenariosCol(&m.Scenarios), timeCol{&m.UpdatedAt}}
}

// SaveModule inserts a module (empty ID: at the end of its course) or
// replaces an existing one's content.
//
// The course row is locked first, so two modules added at once on
// PostgreSQL take positions one after the other instead of colliding on
// the same "last + 1".
func (db *DB) SaveModule(ctx context.Context, m *kindred.Module) error {
	fillCreated(&m.UpdatedAt)
	qs, err := encodeQuestions(m.Questions)
	if err != nil {
		return fmt.Errorf("save module: %w", err)
	}
	ss, err := encodeScenarios(m.Scenarios)
	if err != nil {
		return fmt.Errorf("save module: %w", err)
	}
	err = db.inTx(ctx, func(tx conn) error {
		if m.ID != "" {
			var pos int
			err := tx.queryRow(ctx, `UPDATE course_modules SET title = ?, competency = ?, body = ?, pass_mark = ?,
				questions = ?, scenarios = ?, updated_at = ? WHERE id = ? AND course_id = ? RETURNING position`,
				m.Title, string(m.Competency), m.Body, m.PassMark, qs, ss, ms(m.UpdatedAt), m.ID, m.CourseID).Scan(&pos)
			m.Position = pos
			return err
		}
		found, err := tx.exists(ctx, `SELECT 1 FROM courses WHERE id = ?`+db.dialect.lockForUpdate(), m.CourseID)
		if err != nil {
			return err
		}
		if !found {
			return notFound("course")
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules WHERE course_id = ?`,
			m.CourseID).Scan(&m.Position); err != nil {
			return err
		}
		m.ID = kindred.NewID()
		_, err = tx.exec(ctx, `INSERT INTO course_modules (id, course_id, position, title, competency, body, pass_mark,
			questions, scenarios, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.CourseID, m.Position, m.Title, string(m.Competency), m.Body, m.PassMark, qs, ss, ms(m.UpdatedAt))
		return err
	})
	return storeErr("save module", "module", err)
}

// FindModule returns the module with the id.
func (db *DB) FindModule(ctx context.Context, id string) (*kindred.Module, error) {
	m := new(kindred.Module)
	if err := db.reader().queryRow(ctx, `SELECT `+moduleCols+` FROM course_modules m WHERE m.id = ?`, id).Scan(moduleDest(m)...); err != nil {
		return nil, storeErr("find module", "module", err)
	}
	return m, nil
}

// ListModules returns a course's modules by position.
func (db *DB) ListModules(ctx context.Context, courseID string) ([]*kindred.Module, error) {
	rows, err := db.reader().query(ctx, `SELECT `+moduleCols+` FROM course_modules m WHERE m.course_id = ? ORDER BY m.position`, courseID)
	if err != nil {
		return nil, storeErr("list modules", "module", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Module, error) {
		m := new(kindred.Module)
		return m, s.Scan(moduleDest(m)...)
	})
	return out, storeErr("list modules", "module", err)
}

// DeleteModule removes a module (and everyone's progress on it) and
// numbers the modules after it one lower.
//
// Positions are unique per course, and both databases check that row by
// row, so shifting in place could collide half-way. The later modules go
// to negative positions first (distinct, and clear of every positive
// one), then back to positive one lower.
func (db *DB) DeleteModule(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(tx conn) error {
		var courseID string
		var pos int
		if err := tx.queryRow(ctx, `SELECT course_id, position FROM course_modules WHERE id = ?`, id).Scan(&courseID, &pos); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `SELECT 1 FROM courses WHERE id = ?`+db.dialect.lockForUpdate(), courseID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM course_modules WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE course_modules SET position = 1 - position WHERE course_id = ? AND position > ?`, courseID, pos); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE course_modules SET position = -position WHERE course_id = ? AND position < 1`, courseID)
		return err
	})
	return storeErr("delete module", "module", err)
}

// MoveModule swaps a module with the one before (delta < 0) or after it.
// Position 0 is never used, so it holds the first of the pair while the
// other takes its place.
func (db *DB) MoveModule(ctx context.Context, id string, delta int) error {
	err := db.inTx(ctx, func(tx conn) error {
		var courseID string
		var pos int
		if err := tx.queryRow(ctx, `SELECT course_id, position FROM course_modules WHERE id = ?`, id).Scan(&courseID, &pos); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `SELECT 1 FROM courses WHERE id = ?`+db.dialect.lockForUpdate(), courseID); err != nil {
			return err
		}
		other := pos + 1
		if delta < 0 {
			other = pos - 1
		}
		found, err := tx.exists(ctx, `SELECT 1 FROM course_modules WHERE course_id = ? AND position = ?`, courseID, other)
		if err != nil || !found {
			return err // at either end: nothing to do
		}
		if _, err := tx.exec(ctx, `UPDATE course_modules SET position = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE course_modules SET position = ? WHERE course_id = ? AND position = ?`, pos, courseID, other); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE course_modules SET position = ? WHERE id = ?`, other, id)
		return err
	})
	return storeErr("move module", "module", err)
}

// Progress.

const progressCols = `p.account_id, p.module_id, p.course_id, p.read_at, p.answers, p.score, p.reflections,
	p.passed_at, p.attempts, p.updated_at`

func progressDest(p *kindred.ModuleProgress) []any {
	return []any{&p.AccountID, &p.ModuleID, &p.CourseID, nullTimeCol{&p.ReadAt}, mapCol(&p.Answers), &p.Score,
		mapCol(&p.Reflections), nullTimeCol{&p.PassedAt}, &p.Attempts, timeCol{&p.UpdatedAt}}
}

// SaveProgress creates or replaces a person's record for a module, keeping
// ReadAt and PassedAt once set, and fills p with the stored record.
func (db *DB) SaveProgress(ctx context.Context, p *kindred.ModuleProgress) error {
	fillCreated(&p.UpdatedAt)
	answers, err := encodeMap(p.Answers)
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	refl, err := encodeMap(p.Reflections)
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	err = db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO module_progress (account_id, module_id, course_id, read_at, answers, score,
			reflections, passed_at, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, module_id) DO UPDATE SET
				read_at = COALESCE(module_progress.read_at, excluded.read_at),
				answers = excluded.answers, score = excluded.score, reflections = excluded.reflections,
				passed_at = COALESCE(module_progress.passed_at, excluded.passed_at),
				attempts = excluded.attempts, updated_at = excluded.updated_at`,
			p.AccountID, p.ModuleID, p.CourseID, msPtrNorm(p.ReadAt), answers, p.Score, refl, msPtrNorm(p.PassedAt),
			p.Attempts, ms(p.UpdatedAt))
		if err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+progressCols+` FROM module_progress p WHERE p.account_id = ? AND p.module_id = ?`,
			p.AccountID, p.ModuleID).Scan(progressDest(p)...)
	})
	return storeErr("save progress", "module", err)
}

func (db *DB) listProgress(ctx context.Context, where string, args ...any) ([]*kindred.ModuleProgress, error) {
	rows, err := db.reader().query(ctx, `SELECT `+progressCols+` FROM module_progress p
		JOIN course_modules m ON m.id = p.module_id WHERE `+where+` ORDER BY p.account_id, m.position`, args...)
	if err != nil {
		return nil, storeErr("list progress", "progress", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.ModuleProgress, error) {
		p := new(kindred.ModuleProgress)
		return p, s.Scan(progressDest(p)...)
	})
	return out, storeErr("list progress", "progress", err)
}

// ListProgress returns a person's progress records, in module order.
func (db *DB) ListProgress(ctx context.Context, f kindred.ProgressFilter) ([]*kindred.ModuleProgress, error) {
	if f.CourseID != "" {
		return db.listProgress(ctx, `p.account_id = ? AND p.course_id = ?`, f.AccountID, f.CourseID)
	}
	return db.listProgress(ctx, `p.account_id = ?`, f.AccountID)
}

// ListCourseProgress returns everyone's progress on a course, by person
// and then module order.
func (db *DB) ListCourseProgress(ctx context.Context, courseID string) ([]*kindred.ModuleProgress, error) {
	return db.listProgress(ctx, `p.course_id = ?`, courseID)
}

// ResetProgress forgets a person's work on a course, for a refresher.
func (db *DB) ResetProgress(ctx context.Context, accountID, courseID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM module_progress WHERE account_id = ? AND course_id = ?`, accountID, courseID)
		return err
	})
	return storeErr("reset progress", "progress", err)
}

// Certifications.

// certSelect reads certifications with the person's name in the
// organisation (as Membership.Name chooses it; the handle once they have
// left) and the course's title.
const certSelect = `SELECT x.id, x.org_id, x.course_id, x.account_id, x.decision, x.note, x.requested_at,
	x.decided_by, x.decided_at, x.expires_at, x.youth_programme,
	COALESCE(NULLIF(ms.display_name, ''), NULLIF(a.display_name, ''), a.handle), c.title
	FROM certifications x
	JOIN accounts a ON a.id = x.account_id
	JOIN courses c ON c.id = x.course_id
	LEFT JOIN memberships ms ON ms.org_id = x.org_id AND ms.account_id = x.account_id`

func certDest(c *kindred.Certification) []any {
	return []any{&c.ID, &c.OrgID, &c.CourseID, &c.AccountID, &c.Decision, &c.Note, timeCol{&c.RequestedAt},
		nullStringCol{&c.DecidedBy}, nullTimeCol{&c.DecidedAt}, nullTimeCol{&c.ExpiresAt}, &c.YouthProgramme,
		&c.Name, &c.CourseTitle}
}

// CreateCertification stores a sign-off request (or, for the demo and
// imports, a decided certification as given). It fills ID and rounds the
// times; an empty Decision becomes requested.
func (db *DB) CreateCertification(ctx context.Context, c *kindred.Certification) error {
	fillID(&c.ID)
	fillCreated(&c.RequestedAt)
	if c.Decision == "" {
		c.Decision = kindred.SignOffRequested
	}
	c.DecidedAt, c.ExpiresAt = normPtr(c.DecidedAt), normPtr(c.ExpiresAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO certifications (id, org_id, course_id, account_id, decision, note,
			requested_at, decided_by, decided_at, expires_at, youth_programme) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.OrgID, c.CourseID, c.AccountID, string(c.Decision), c.Note, ms(c.RequestedAt),
			nullIfEmpty(c.DecidedBy), msPtr(c.DecidedAt), msPtr(c.ExpiresAt), c.YouthProgramme)
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You have already asked for sign-off on this course. A coordinator will look at it soon.")
		}
		if err != nil || c.Decision != kindred.SignOffGranted {
			return err
		}
		return addSupporterRole(ctx, tx, c.OrgID, c.AccountID)
	})
	return storeErr("create certification", "certification", err)
}

// FindCertification returns the certification with the id.
func (db *DB) FindCertification(ctx context.Context, id string) (*kindred.Certification, error) {
	c := new(kindred.Certification)
	if err := db.reader().queryRow(ctx, certSelect+` WHERE x.id = ?`, id).Scan(certDest(c)...); err != nil {
		return nil, storeErr("find certification", "certification", err)
	}
	return c, nil
}

// ListCertifications returns certifications newest request first. Limit 0
// means the default page size.
func (db *DB) ListCertifications(ctx context.Context, f kindred.CertificationFilter) ([]*kindred.Certification, error) {
	var where []string
	var args []any
	for _, w := range []struct{ col, v string }{{"x.org_id", f.OrgID}, {"x.account_id", f.AccountID},
		{"x.course_id", f.CourseID}, {"x.decision", string(f.Decision)}} {
		if w.v != "" {
			where = append(where, w.col+` = ?`)
			args = append(args, w.v)
		}
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, certSelect+whereClause(where)+` ORDER BY x.requested_at DESC, x.id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, storeErr("list certifications", "certification", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Certification, error) {
		c := new(kindred.Certification)
		return c, s.Scan(certDest(c)...)
	})
	return out, storeErr("list certifications", "certification", err)
}

// Role bits for the SQL that grants and takes the peer supporter role.
const (
	supporterBit     = int64(kindred.RolePeerSupporter)
	withoutSupporter = int64(^uint32(kindred.RolePeerSupporter))
)

func addSupporterRole(ctx context.Context, tx conn, orgID, accountID string) error {
	return tx.execOne(ctx, "membership", `UPDATE memberships SET roles = roles | ? WHERE org_id = ? AND account_id = ?`,
		supporterBit, orgID, accountID)
}

// DecideCertification records a decision and its effect on the person's
// roles, in one transaction. The certification row is locked first, so
// of two coordinators deciding at once on PostgreSQL the second sees the
// first's decision and gets ECONFLICT.
func (db *DB) DecideCertification(ctx context.Context, id string, d kindred.CertificationDecision) (*kindred.Certification, error) {
	d.DecidedAt = norm(d.DecidedAt)
	d.ExpiresAt = normPtr(d.ExpiresAt)
	out := new(kindred.Certification)
	err := db.inTx(ctx, func(tx conn) error {
		var orgID, accountID, current string
		if err := tx.queryRow(ctx, `SELECT org_id, account_id, decision FROM certifications WHERE id = ?`+db.dialect.lockForUpdate(), id).
			Scan(&orgID, &accountID, &current); err != nil {
			return err
		}
		if current != string(d.From) {
			return kindred.Errorf(kindred.ECONFLICT, "Someone has already decided on this sign-off. Please look at it again.")
		}
		var set setList
		set.add("decision", string(d.To))
		set.add("note", d.Note)
		if d.To == kindred.SignOffRevoked {
			// A revoke keeps who granted it and when; the note becomes the
			// reason, which the person reads.
		} else {
			set.add("decided_by", nullIfEmpty(d.DecidedBy))
			set.add("decided_at", ms(d.DecidedAt))
			set.add("expires_at", msPtr(d.ExpiresAt))
			set.add("youth_programme", d.YouthProgramme)
		}
		if _, err := tx.exec(ctx, `UPDATE certifications SET `+set.clause()+` WHERE id = ?`, append(set.args, id)...); err != nil {
			return err
		}
		switch d.To {
		case kindred.SignOffGranted:
			if err := addSupporterRole(ctx, tx, orgID, accountID); err != nil {
				return err
			}
		case kindred.SignOffRevoked:
			if _, err := tx.exec(ctx, `UPDATE memberships SET roles = roles & ? WHERE org_id = ? AND account_id = ?
				AND NOT EXISTS (SELECT 1 FROM certifications x WHERE x.org_id = ? AND x.account_id = ? AND x.decision = ?
					AND (x.expires_at IS NULL OR x.expires_at > ?))`,
				withoutSupporter, orgID, accountID, orgID, accountID, string(kindred.SignOffGranted), ms(d.DecidedAt)); err != nil {
				return err
			}
		}
		return tx.queryRow(ctx, certSelect+` WHERE x.id = ?`, id).Scan(certDest(out)...)
	})
	if err != nil {
		return nil, storeErr("decide certification", "certification", err)
	}
	return out, nil
}

// ExpireSupporters takes the peer supporter role from members whose grants
// have all expired at now.
func (db *DB) ExpireSupporters(ctx context.Context, now time.Time) ([]kindred.MembershipRef, error) {
	var out []kindred.MembershipRef
	err := db.inTx(ctx, func(tx conn) error {
		out = out[:0]
		rows, err := tx.query(ctx, `SELECT m.org_id, m.account_id FROM memberships m
			WHERE (m.roles & ?) <> 0
			AND EXISTS (SELECT 1 FROM certifications x WHERE x.org_id = m.org_id AND x.account_id = m.account_id
				AND x.decision = ?)
			AND NOT EXISTS (SELECT 1 FROM certifications x WHERE x.org_id = m.org_id AND x.account_id = m.account_id
				AND x.decision = ? AND (x.expires_at IS NULL OR x.expires_at > ?))`+db.dialect.lockForUpdate(),
			supporterBit, string(kindred.SignOffGranted), string(kindred.SignOffGranted), ms(norm(now)))
		if err != nil {
			return err
		}
		refs, err := collect(rows, func(s scanner) (kindred.MembershipRef, error) {
			var r kindred.MembershipRef
			return r, s.Scan(&r.OrgID, &r.AccountID)
		})
		if err != nil {
			return err
		}
		for _, r := range refs {
			if _, err := tx.exec(ctx, `UPDATE memberships SET roles = roles & ? WHERE org_id = ? AND account_id = ?`,
				withoutSupporter, r.OrgID, r.AccountID); err != nil {
				return err
			}
		}
		out = refs
		return nil
	})
	if err != nil {
		return nil, storeErr("expire supporters", "membership", err)
	}
	return out, nil
}
