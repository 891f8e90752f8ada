"""The `real_server` fixture serves the test's own database through gunicorn."""
import json
import urllib.request

from forum.services import tokens


def test_real_server_reads_what_the_test_committed(real_server, make_user):
    user = make_user(display_name="Warga Server Nyata")
    _row, raw = tokens.create_token(user, user, "server test")
    request = urllib.request.Request(real_server("/api/v1/me"), headers={"Authorization": f"Bearer {raw}"})
    body = json.loads(urllib.request.urlopen(request).read())
    assert "Warga Server Nyata" in json.dumps(body)
