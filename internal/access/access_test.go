package access

import (
	"testing"
	"time"

	"kindred"
)

func TestCan(t *testing.T) {
	adult := &kindred.Account{ID: "a", AgeBand: kindred.AgeAdult}
	youth := &kindred.Account{ID: "y", AgeBand: kindred.AgeYouth}
	suspendedAt := time.Now()
	suspended := &kindred.Account{ID: "s", AgeBand: kindred.AgeAdult, SuspendedAt: &suspendedAt}
	member := func(roles kindred.Role) *kindred.Membership {
		return &kindred.Membership{OrgID: "org", Roles: kindred.RoleMember | roles, Status: kindred.StatusActive}
	}
	pendingOrg := &kindred.Membership{OrgID: "org", Roles: kindred.RoleMember, Status: kindred.StatusPending}
	otherOrgAdmin := &kindred.Membership{OrgID: "other", Roles: kindred.RoleMember | kindred.RoleAdmin, Status: kindred.StatusActive}
	inGroup := &kindred.GroupMember{Role: kindred.GroupRoleMember, Status: kindred.StatusActive}
	pendingGroup := &kindred.GroupMember{Role: kindred.GroupRoleMember, Status: kindred.StatusPending}
	facilitating := &kindred.GroupMember{Role: kindred.GroupRoleFacilitator, Status: kindred.StatusActive}
	group := func(v kindred.Visibility, age kindred.AgeRule) *kindred.Group {
		return &kindred.Group{OrgID: "org", Visibility: v, AgeRule: age}
	}
	public := group(kindred.VisibilityPublic, kindred.AgeAny)
	private := group(kindred.VisibilityPrivate, kindred.AgeAny)
	hidden := group(kindred.VisibilityHidden, kindred.AgeAny)
	youthOnly := group(kindred.VisibilityPublic, kindred.AgeYouthOnly)
	adultsOnly := group(kindred.VisibilityPublic, kindred.AgeAdultOnly)

	tests := []struct {
		name   string
		sub    Subject
		action Action
		g      *kindred.Group
		want   bool
	}{
		{"visitor cannot view an organisation's groups", Subject{}, ViewGroup, public, false},
		{"pending member cannot view groups", Subject{Account: adult, Membership: pendingOrg}, ViewGroup, public, false},
		{"member views a public group", Subject{Account: adult, Membership: member(0)}, ViewGroup, public, true},
		{"member reads a public group", Subject{Account: adult, Membership: member(0)}, ReadGroup, public, true},
		{"member sees a private group listed", Subject{Account: adult, Membership: member(0)}, ViewGroup, private, true},
		{"member cannot read a private group", Subject{Account: adult, Membership: member(0)}, ReadGroup, private, false},
		{"pending group member cannot read a private group", Subject{Account: adult, Membership: member(0), GroupMember: pendingGroup}, ReadGroup, private, false},
		{"private group member reads it", Subject{Account: adult, Membership: member(0), GroupMember: inGroup}, ReadGroup, private, true},
		{"member cannot see a hidden group", Subject{Account: adult, Membership: member(0)}, ViewGroup, hidden, false},
		{"facilitator role alone cannot see a hidden group", Subject{Account: adult, Membership: member(kindred.RoleFacilitator)}, ViewGroup, hidden, false},
		{"hidden group member sees it", Subject{Account: adult, Membership: member(0), GroupMember: inGroup}, ReadGroup, hidden, true},
		{"moderator sees a hidden group", Subject{Account: adult, Membership: member(kindred.RoleModerator)}, ReadGroup, hidden, true},
		{"admin of another organisation sees nothing", Subject{Account: adult, Membership: otherOrgAdmin}, ViewGroup, public, false},
		{"nobody joins a hidden group without an invitation", Subject{Account: adult, Membership: member(kindred.RoleAdmin)}, JoinGroup, hidden, false},
		{"member joins a public group", Subject{Account: adult, Membership: member(0)}, JoinGroup, public, true},
		{"adult cannot join a youth group", Subject{Account: adult, Membership: member(0)}, JoinGroup, youthOnly, false},
		{"adult cannot read a youth group", Subject{Account: adult, Membership: member(kindred.RoleFacilitator)}, ReadGroup, youthOnly, false},
		{"youth reads a youth group", Subject{Account: youth, Membership: member(0)}, ReadGroup, youthOnly, true},
		{"youth cannot join an adults group", Subject{Account: youth, Membership: member(0)}, JoinGroup, adultsOnly, false},
		{"a youth group's adult facilitator posts there", Subject{Account: adult, Membership: member(kindred.RoleFacilitator), GroupMember: facilitating}, PostInGroup, youthOnly, true},
		{"readers who have not joined cannot post", Subject{Account: adult, Membership: member(0)}, PostInGroup, public, false},
		{"group members post", Subject{Account: adult, Membership: member(0), GroupMember: inGroup}, PostInGroup, public, true},
		{"suspended members cannot post", Subject{Account: suspended, Membership: member(0), GroupMember: inGroup}, PostInGroup, public, false},
		{"moderators remove posts", Subject{Account: adult, Membership: member(kindred.RoleModerator)}, ModerateGroup, public, true},
		{"facilitators remove posts in their group", Subject{Account: adult, Membership: member(0), GroupMember: facilitating}, ModerateGroup, public, true},
		{"members do not remove others' posts", Subject{Account: adult, Membership: member(0), GroupMember: inGroup}, ModerateGroup, public, false},
		{"facilitators do not unmask anonymous posts", Subject{Account: adult, Membership: member(kindred.RoleFacilitator), GroupMember: facilitating}, SeeAnonymous, public, false},
		{"moderators unmask anonymous posts", Subject{Account: adult, Membership: member(kindred.RoleModerator)}, SeeAnonymous, public, true},
		{"group facilitators manage their group", Subject{Account: adult, Membership: member(0), GroupMember: facilitating}, ManageGroup, private, true},
		{"moderators do not manage groups", Subject{Account: adult, Membership: member(kindred.RoleModerator)}, ManageGroup, private, false},
		{"admins manage any group", Subject{Account: adult, Membership: member(kindred.RoleAdmin)}, ManageGroup, hidden, true},
		{"facilitators start groups", Subject{Account: adult, Membership: member(kindred.RoleFacilitator)}, CreateGroup, nil, true},
		{"members do not start groups", Subject{Account: adult, Membership: member(kindred.RolePeerSupporter)}, CreateGroup, nil, false},
		{"only admins manage the organisation", Subject{Account: adult, Membership: member(kindred.RoleModerator | kindred.RoleCoordinator)}, ManageOrg, nil, false},
		{"admins manage the organisation", Subject{Account: adult, Membership: member(kindred.RoleAdmin)}, ManageOrg, nil, true},
		{"pending admins do not", Subject{Account: adult, Membership: &kindred.Membership{OrgID: "org", Roles: kindred.RoleAdmin, Status: kindred.StatusPending}}, ManageOrg, nil, false},
		{"group actions need a group", Subject{Account: adult, Membership: member(kindred.RoleAdmin)}, ReadGroup, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Can(tt.sub, tt.action, tt.g); got != tt.want {
				t.Errorf("Can(%s) = %v, want %v", tt.action, got, tt.want)
			}
		})
	}
}
