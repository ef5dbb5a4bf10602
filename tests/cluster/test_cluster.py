"""Two app servers share everything through PostgreSQL, Redis and S3: nothing lives in a server."""

import io
import json
import threading
import urllib.request
import uuid

from PIL import Image

from .conftest import S3_PORT, manage_shell

PASSWORD = "cluster-pass-2468"


def make_user(cluster, email):
    return manage_shell(
        cluster,
        (
            "from accounts.services import user_create;"
            f"print(user_create(email='{email}', is_email_verified=True, password='{PASSWORD}').id)"
        ),
    )


def sign_in(server, email):
    status, body, _ = server.request("POST", "/auth/login/password", {"email": email, "password": PASSWORD})
    assert status == 200, body
    return body["content"]


def test_a_token_from_one_server_works_on_the_other_and_logout_is_shared(cluster):
    a, b = cluster["servers"]
    user_id = make_user(cluster, "token@example.com")
    tokens = sign_in(a, "token@example.com")
    status, body, headers = b.request("GET", f"/auth/user/{user_id}", token=tokens["access_token"])
    assert status == 200 and body["content"]["user"]["id"] == user_id and headers.get("X-Request-ID")
    assert a.request("POST", "/auth/logout", token=tokens["access_token"])[0] == 200
    assert b.request("GET", f"/auth/user/{user_id}", token=tokens["access_token"])[0] == 401
    assert b.request("POST", "/auth/refresh-token", {"refresh_token": tokens["refresh_token"]})[0] == 401


def test_otp_resend_window_and_sign_in_lock_hold_across_servers(cluster):
    a, b = cluster["servers"]
    body = {"email": "newbie@example.com", "password": PASSWORD, "confirm_password": PASSWORD}
    assert a.request("POST", "/auth/register/password", body)[0] == 200
    status, answer, headers = b.request("POST", "/auth/register/password", body)
    assert status == 429 and answer["code"] == "throttled" and int(headers["Retry-After"]) > 0

    make_user(cluster, "locked@example.com")
    for _ in range(5):
        assert a.request("POST", "/auth/login/password", {"email": "locked@example.com", "password": "wrong"})[0] == 401
    status, answer, _ = b.request("POST", "/auth/login/password", {"email": "locked@example.com", "password": PASSWORD})
    assert status == 429 and answer["code"] == "throttled"


ADDRESS = {
    "first_name": "Meera",
    "phone": "9123456780",
    "email": "m@example.com",
    "address_line1": "12 MG Road",
    "pincode": "560001",
    "city": "Bengaluru",
    "state": "Karnataka",
    "country": "India",
}


def test_an_idempotency_key_used_on_one_replays_on_the_other(cluster):
    a, b = cluster["servers"]
    user_id = make_user(cluster, "idem@example.com")
    token = sign_in(a, "idem@example.com")["access_token"]
    key = {"Idempotency-Key": "create-home"}
    first = a.request("POST", f"/customers/{user_id}/addresses", ADDRESS, token=token, headers=key)
    again = b.request("POST", f"/customers/{user_id}/addresses", ADDRESS, token=token, headers=key)
    assert first[0] == again[0] == 200 and again[2].get("Idempotent-Replayed") == "true"
    assert first[1] == again[1]
    listed = b.request("GET", f"/customers/{user_id}/addresses", token=token)[1]
    assert listed["content"]["pagination"]["total_records"] == 1


def test_a_profile_image_uploaded_through_one_is_served_through_the_other(cluster):
    a, b = cluster["servers"]
    user_id = make_user(cluster, "picture@example.com")
    token = sign_in(a, "picture@example.com")["access_token"]
    image = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 120, 90)).save(image, format="JPEG")
    boundary = uuid.uuid4().hex
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="me.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + image.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, body, _ = a.request(
        "POST",
        f"/auth/user/{user_id}/profile-image",
        raw=payload,
        token=token,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert status == 200, body
    url = body["content"]["profile_image_url"]
    assert url.startswith(f"http://127.0.0.1:{S3_PORT}/shop-media/profile-images/")
    assert (
        b.request("GET", f"/auth/user/{user_id}/profile-image", token=token)[1]["content"]["profile_image_url"] == url
    )
    stored = Image.open(io.BytesIO(urllib.request.urlopen(url, timeout=10).read()))
    assert stored.size == (1024, 576)


def test_killing_one_server_mid_run_loses_no_committed_write(cluster):
    a, b = cluster["servers"]
    user_id = make_user(cluster, "crash@example.com")
    token = sign_in(b, "crash@example.com")["access_token"]
    created, lock = [], threading.Lock()

    def create(server, n):
        try:
            status, body, _ = server.request(
                "POST", f"/customers/{user_id}/addresses", {**ADDRESS, "nickname": f"N{n}"}, token=token
            )
        except OSError:
            return  # the connection died with the server: the client never heard "done"
        if status == 200:
            with lock:
                created.append(body["content"]["address"]["id"])

    threads = [threading.Thread(target=create, args=((a, b)[n % 2], n)) for n in range(40)]
    for n, thread in enumerate(threads):
        thread.start()
        if n == 20:
            a.kill()  # mid-run, without warning
    for thread in threads:
        thread.join()
    stored = set(
        json.loads(
            manage_shell(
                cluster,
                (
                    "import json; from customers.models import Address;"
                    f"print(json.dumps(list(Address.objects.filter(customer_id='{user_id}').values_list('id', flat=True))))"
                ),
            )
        )
    )
    assert len(created) >= 20 and set(created) <= stored
