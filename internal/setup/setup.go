// Package setup owns the first-run walk-through of a new instance: with no
// account yet, the first visitor creates the instance operator's account
// and the first organisation, and is signed in.
package setup

import (
	"context"
	"fmt"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/orgs"
)

// Service runs the walk-through.
type Service struct {
	accounts *accounts.Service
	orgs     *orgs.Service
}

// New returns the service.
func New(a *accounts.Service, o *orgs.Service) *Service { return &Service{accounts: a, orgs: o} }

// Needed reports whether the instance has no account yet.
func (s *Service) Needed(ctx context.Context) (bool, error) { return s.accounts.NeedsSetup(ctx) }

// Run checks both parts first, so one form can show every problem at once
// and nothing is created until all is well; then it creates the operator,
// the organisation (with the operator as its admin) and a session, whose
// secret it returns. Problems with the organisation are reported under
// "org.<field>", problems with the account under their own field names.
func (s *Service) Run(ctx context.Context, signup kindred.SignupDraft, org kindred.OrganizationDraft, label string) (*orgs.Place, string, error) {
	fields := map[string]string{}
	if err := signup.Validate(); err != nil {
		for k, v := range kindred.ErrorFields(err) {
			fields[k] = v
		}
	}
	check := org
	if err := check.Validate(); err != nil {
		for k, v := range kindred.ErrorFields(err) {
			fields["org."+k] = v
		}
	}
	if len(fields) > 0 {
		return nil, "", &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.", Fields: fields}
	}
	acct, err := s.accounts.Bootstrap(ctx, signup)
	if err != nil {
		return nil, "", err
	}
	place, err := s.orgs.Create(ctx, &kindred.Actor{Account: acct}, org)
	if err != nil {
		return nil, "", fmt.Errorf("setup: create organisation: %w", err)
	}
	secret, err := s.accounts.StartSession(ctx, acct.ID, label)
	if err != nil {
		return nil, "", fmt.Errorf("setup: start session: %w", err)
	}
	return place, secret, nil
}
