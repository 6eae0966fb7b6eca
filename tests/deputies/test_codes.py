import pytest
from django.core.exceptions import ValidationError

from deputies.codes import ALPHABET, LENGTH, issue_public_code
from deputies.models import Deputy, IssuedCode
from deputies.services import public_code_change
from tests.factories import DeputyFactory


@pytest.mark.django_db
def test_new_deputy_gets_a_short_code_from_the_unambiguous_alphabet():
    deputy = DeputyFactory()

    assert len(deputy.code) == LENGTH
    assert set(deputy.code) <= set(ALPHABET)
    assert IssuedCode.objects.filter(code=deputy.code).exists()


@pytest.mark.django_db
def test_issued_codes_are_all_different():
    codes = {issue_public_code() for _ in range(300)}

    assert len(codes) == 300


@pytest.mark.django_db
def test_a_changed_code_is_never_handed_out_again(django_capture_on_commit_callbacks):
    deputy = DeputyFactory()
    old = deputy.code

    with django_capture_on_commit_callbacks(execute=True):
        public_code_change(record=deputy)

    assert deputy.code != old
    assert not Deputy.objects.filter(code=old).exists()
    # The ledger keeps the old code, so issuing it again would violate its primary key.
    assert IssuedCode.objects.filter(code=old).exists()


@pytest.mark.django_db
def test_deputy_mobile_must_be_a_mainland_number():
    with pytest.raises(ValidationError) as error:
        DeputyFactory(mobile="12345")

    assert "mobile" in error.value.message_dict


@pytest.mark.django_db
def test_two_deputies_cannot_share_a_mobile():
    DeputyFactory(mobile="13900000001")

    with pytest.raises(ValidationError):
        DeputyFactory(mobile="13900000001")


@pytest.mark.django_db
def test_deputies_without_mobile_do_not_clash():
    DeputyFactory(mobile="")
    DeputyFactory(mobile="")

    assert Deputy.objects.filter(mobile="").count() == 2
