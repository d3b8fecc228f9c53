import pytest

from tests.factories import CustomerFactory, UserFactory

ROLES = ["webcare", "phone", "store", "manager", "admin"]


@pytest.fixture
def make_user(db):
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
