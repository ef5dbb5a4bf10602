"""The benchmark's floor: the cheapest authenticated API request this service can answer.

It goes through the same middleware, bearer authentication, permission and envelope renderer
as every endpoint, and does nothing else; `bench/bench.py` compares each endpoint's throughput
to it. Only routed when the BENCH_FLOOR setting is on.
"""

from rest_framework.views import APIView

from common.api import ok
from common.permissions import IsCustomer


class FloorView(APIView):
    permission_classes = [IsCustomer]

    def get(self, request):
        return ok({"pong": True})
