"""The full stack's channel layer: channels_redis' pub/sub layer, decoding each message once,
and telling its consoles when pushes may have been lost.

channels_redis hands the raw bytes of a group message to every console of the group in this
process, and each console decodes its own copy. With a thousand consoles on one customer that
is a thousand decodings of the same message; here the process decodes it once and each console
gets its own shallow copy of the result.

Redis keeps nothing for a subscriber that is not connected. When this process's subscribed
connection fails and comes back (a Redis restart, a network blip), every console of the process
gets a ``layer.resync`` message: pushes of the meantime are gone, flag changes, screen pops and
notices as well as entries, and the console has the page reconnect and catch up (docs/live.md).

A console whose page stopped reading (a frozen tab, a network gone dead that TCP has not noticed
yet) would queue every push to it in this process's memory. Once ``queue_limit`` pushes wait for
it, they are dropped and it gets ``layer.resync`` instead, first in line: its page reconnects and
catches up from the database, and nothing more is queued for it meanwhile.
"""

import asyncio
import logging
import uuid

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer, RedisSingleShardConnection
from channels_redis.utils import _wrap_close

log = logging.getLogger(__name__)
RESYNC = {"type": "layer.resync"}


class _Shard(RedisSingleShardConnection):
    async def _do_receiving(self):
        # channels_redis' own loop, which logs a failure and tries again a second later; here the
        # first message (or quiet read) after a failure also tells the consoles to catch up.
        failed = False
        task = asyncio.current_task()
        while True:
            if task.cancelling():
                # A cancel that landed as redis-py's read timed out can come back as "no message
                # yet" instead of CancelledError; the loop would then read on for ever, and
                # closing the layer (flush, at the event loop's end) with it (tests/live/
                # test_layer.py).
                raise asyncio.CancelledError
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
                    if failed:
                        failed = False
                        self._resync()
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception:  # noqa: BLE001 - whatever the connection raised; tried again below
                if not failed:
                    log.warning("channel layer lost its Redis connection; consoles catch up when it is back")
                failed = True
                await asyncio.sleep(1)

    def _resync(self):
        log.warning("channel layer reconnected to Redis; %d consoles catch up", len(self.channel_layer.channels))
        for queue in self.channel_layer.channels.values():
            queue.put_nowait(Decoded(RESYNC))

    def _receive_message(self, message):
        if message is None:
            return
        name, data = message["channel"], message["data"]
        if isinstance(name, bytes):
            name = name.decode()
        layer = self.channel_layer
        if name in layer.channels:
            targets = [name]
        else:
            targets = [c for c in layer.groups.get(name, ()) if c in layer.channels]
        if not targets:
            return
        decoded = layer.channel_layer.deserialize(data)
        limit = layer.channel_layer.queue_limit
        for channel in targets:
            if channel in layer.behind:
                continue  # told to catch up already; what it misses meanwhile comes from the database
            queue = layer.channels[channel]
            if queue.qsize() < limit:
                queue.put_nowait(Decoded(decoded))
            else:
                self._behind(channel, queue)

    def _behind(self, channel, queue):
        """The console's pushes are dropped and ``layer.resync`` goes first; its page's frames
        (plain dicts, not ``Decoded``: a disconnect among them) stay, in their order."""
        log.warning("console %s is %d pushes behind; it reconnects and catches up", channel, queue.qsize())
        self.channel_layer.behind.add(channel)
        waiting = [queue.get_nowait() for _ in range(queue.qsize())]
        queue.put_nowait(Decoded(RESYNC))
        for message in waiting:
            if not isinstance(message, Decoded):
                queue.put_nowait(message)


class Decoded(dict):
    """A message already decoded by the process (see ``PubSubChannelLayer.deserialize``)."""


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]
        self.behind = set()  # channels told to catch up; nothing more is queued for them


class PubSubChannelLayer(RedisPubSubChannelLayer):
    def __init__(self, *args, queue_limit=1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.queue_limit = queue_limit

    def deserialize(self, message):
        if isinstance(message, Decoded):  # decoded by _Shard, a copy for this console alone
            return message
        return super().deserialize(message)

    async def new_inbox(self, prefix="specific."):
        """A new channel and the queue its messages arrive in, decoded. A console reads that queue
        itself (``ConsoleConsumer.__call__``), and its page's frames go into the same queue:
        Channels' own loop would take a new task, a wait on two of them and a trip through this
        proxy for every message, which was a third of a worker's time in a broadcast."""
        layer = self._get_layer()
        channel = f"{layer.prefix}{prefix}{uuid.uuid4().hex}"  # as channels_redis' new_channel names it
        try:
            await layer._subscribe_to_channel(channel)
        except BaseException:
            layer.channels.pop(channel, None)  # Redis away: no queue left behind for a channel nobody reads
            raise
        return channel, layer.channels[channel]

    async def close_inbox(self, channel):
        """Done with a channel from ``new_inbox``: nothing more is delivered to it."""
        layer = self._get_layer()
        layer.behind.discard(channel)
        if layer.channels.pop(channel, None) is not None:
            try:
                await layer._get_shard(channel).unsubscribe(channel)
            except Exception:  # noqa: BLE001 - Redis away: nothing is delivered to it anyway
                log.warning("could not unsubscribe %s from Redis", channel, exc_info=True)

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
            return layer
