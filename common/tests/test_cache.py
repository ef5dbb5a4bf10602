"""common.cache: Django's Redis cache, one redis-py client per pool, on a real Redis."""

import os

import pytest

from common.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/14"


pytestmark = pytest.mark.requires_service("redis")


@pytest.fixture
def cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"cc{os.getpid()}"})
    yield cache
    cache.clear()


def test_one_client_serves_every_call_and_it_works(cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    cache.set("k", {"a": 1}, 30)
    assert cache.add("k", "other", 30) is False
    assert cache.get("k") == {"a": 1}
    assert cache.get_many(["k", "missing"]) == {"k": {"a": 1}}
    cache.delete_many(["k"])
    assert cache.get("k") is None


def test_a_forked_process_gets_its_own_connections(cache):
    """gunicorn forks workers after the app may have touched the cache: the kept client must not
    share the parent's socket (redis-py's pool starts afresh after a fork)."""
    cache.set("parent", 1, 30)
    parent_connection = cache._cache.get_client().connection_pool._created_connections
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write what it read through the kept client, then leave at once
        try:
            cache.set("child", 2, 30)
            ok = cache.get("parent") == 1 and cache._cache.get_client().connection_pool.pid == os.getpid()
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    assert cache.get("child") == 2
    assert cache._cache.get_client().connection_pool._created_connections == parent_connection
