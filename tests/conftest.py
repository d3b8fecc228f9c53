import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from console.accounts.roles import role_groups_ensure
from tests.factories import CustomerFactory, UserFactory

ROLES = ["webcare", "phone", "store", "manager", "admin"]


@pytest.fixture
def make_user(db):
    # Transactional tests flush the database, groups included; put the roles back.
    role_groups_ensure(group_model=Group, permission_model=Permission, content_type_model=ContentType)

    def make(role=None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Jeroen de Vries", customer_number="C-200001", email="J.deVries@Example.nl",
                           phone="06 12345678")


@pytest.fixture
def client_as(client, make_user):
    """A test client logged in as a fresh user with the given role."""

    def login(role):
        user = make_user(role)
        client.force_login(user)
        client.user = user
        return client

    return login
