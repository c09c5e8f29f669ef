"""A tiny endpoint that counts its side effects, to test the Idempotency-Key mechanism alone."""

import itertools
import threading
import time

from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from anwariya.idempotency import idempotent

effects = []
_lock = threading.Lock()
_counter = itertools.count(1)


class OrderSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=20)
    quantity = serializers.IntegerField(min_value=1)
    slow = serializers.BooleanField(default=False)


class OrderView(APIView):
    @idempotent
    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["slow"]:
            time.sleep(0.3)  # widens the window in which parallel requests race
        with _lock:
            number = next(_counter)
            effects.append(number)
        return Response({"order": number, **serializer.validated_data}, status=201)


class CrashView(APIView):
    @idempotent
    def post(self, request):
        with _lock:
            effects.append("crash")
        raise RuntimeError("boom")


urlpatterns = [
    path("orders/", OrderView.as_view()),
    path("crash/", CrashView.as_view()),
    path("other/", OrderView.as_view()),
]
