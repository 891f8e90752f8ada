"""Demo organizations: six verified ones of different kinds across kecamatan, with members, and one request."""
from sqlalchemy import func, select

from forum import demo
from forum.extensions import db
from forum.models import MemberRole, Organization


def test_demo_organizations(app):
    demo.seed("small")
    organizations = db.session.scalars(select(Organization)).all()
    verified = [o for o in organizations if o.status == "verified"]
    assert len(verified) == 6 and [o.status for o in organizations].count("requested") == 1
    assert len({o.kind for o in verified}) == 6
    assert len({o.district.kecamatan.code for o in verified}) >= 5
    for organization in verified:
        assert organization.admin_count >= 1 and len(organization.members) >= 2
        assert organization.document_file and organization.role_of(organization.requested_by) == MemberRole.ADMIN
    demo.seed("small")
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 7
