/**
 * Live views: what changed runs tell ({@link dev.runbus.server.live.NoticingStore}), notices
 * coalesced per address ({@link dev.runbus.server.live.RunNotices}) on the local event bus, and
 * the SockJS bridge that carries them to browsers ({@link dev.runbus.server.live.LiveBridge},
 * {@link dev.runbus.server.live.BridgeGuard}).
 */
package dev.runbus.server.live;
