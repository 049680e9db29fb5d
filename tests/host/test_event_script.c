/*
 * test_event_script.c - host tests for the Event Manager's scripted source:
 * a script played against the fake tick clock moves the mouse (jumps and
 * linear glides, pinned to the bounds), presses and releases the button
 * (one mouseDown/mouseUp pair, at the right point and time), types keys
 * with modifiers, pauses, ends by itself, keeps its timeline when the pump
 * runs late (waiting for room when more events are due than the queue holds), is refused when malformed, and releases its button when
 * stopped. An evStepTracked step holds the script until a tracking loop
 * (StillDown) has seen the press, however late that is. The mouse hook sees every position change.
 */
#include "Events.h"

#include <string.h>

#include "../../src/Toolbox/EventMgr/event_internal.h"
#include "platform.h"
#include "tap.h"

static const Rect g_screen = { 0, 0, 768, 1024 };

static Point g_hook_last;
static int g_hook_calls;

static void hook(Point p)
{
    g_hook_last = p;
    g_hook_calls++;
}

static void fresh(uint32_t now)
{
    plat_host_flush_input();
    plat_host_set_ticks(now);
    ev_set_mouse_hook(hook);
    ev_init(&g_screen);
    SetEventMask(everyEvent);
    g_hook_calls = 0;
}

static Point mouse_at(uint32_t tick)
{
    plat_host_set_ticks(tick);
    ev_pump();
    return g_ev.mouse;
}

static void test_glide(void)
{
    static const ev_step s[] = {
        { .op = evStepMove, .where = { .v = 100, .h = 100 } },
        { .op = evStepMove, .where = { .v = 200, .h = 400 }, .ticks = 10 },
        { .op = evStepPause, .ticks = 5 },
        { .op = evStepMove, .where = { .v = 0, .h = 0 }, .ticks = 4 },
        { .op = evStepEnd },
    };
    fresh(100);
    TAP_EQ(ev_script_start(s, 5), noErr, "script starts");
    Point p = mouse_at(100);
    tap_ok(p.h == 100 && p.v == 100, "a zero-tick move jumps at once");
    TAP_EQ(g_hook_last.h, 100, "the hook saw the jump");
    p = mouse_at(105);
    tap_ok(p.h == 250 && p.v == 150, "half way through a 10-tick glide the mouse is half way (%d,%d)", p.h, p.v);
    p = mouse_at(110);
    tap_ok(p.h == 400 && p.v == 200, "the glide ends on its target");
    p = mouse_at(114);
    tap_ok(p.h == 400 && p.v == 200, "the pause holds the mouse");
    p = mouse_at(117);
    tap_ok(p.h == 200 && p.v == 100, "the next glide starts when the pause ends (%d,%d)", p.h, p.v);
    tap_ok(ev_script_running(), "still running before the last glide ends");
    p = mouse_at(119);
    tap_ok(p.h == 0 && p.v == 0 && !ev_script_running(), "at the end tick the script is done");
    TAP_EQ(g_ev.count, 0, "moves post no events");
    tap_ok(g_hook_calls >= 5, "the hook followed the glides (%d calls)", g_hook_calls);
    tap_ok(ev_check(), "state consistent");
}

static void test_clicks_and_keys(void)
{
    static const ev_step s[] = {
        { .op = evStepMove, .where = { .v = 10, .h = 20 } },
        { .op = evStepDown },
        { .op = evStepPause, .ticks = 30 },
        { .op = evStepMove, .where = { .v = 50, .h = 60 }, .ticks = 20 },
        { .op = evStepUp },
        { .op = evStepKey, .keyCode = 0x0C, .modifiers = cmdKey },
        { .op = evStepKey, .keyCode = 0x00, .modifiers = shiftKey },
    };
    EventRecord e;
    fresh(500);
    TAP_EQ(ev_script_start(s, 7), noErr, "click-and-drag script starts (no end step: count ends it)");
    plat_host_set_ticks(500);
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseDown && e.where.h == 20 && e.where.v == 10 && e.when == 500,
           "mouseDown at (20,10) at tick 500");
    tap_ok(Button() && StillDown(), "the script's button is down");
    tap_ok(!GetNextEvent(everyEvent, &e), "nothing more during the pause");
    plat_host_set_ticks(540);
    tap_ok(!EventAvail(mUpMask, &e) && Button(), "still dragging at 540");
    plat_host_set_ticks(550);
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseUp && e.where.h == 60 && e.where.v == 50 && e.when == 550,
           "mouseUp at the drag's end (60,50) at tick 550");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == keyDown && (e.message & 0xFF) == 'q' &&
               (e.message >> 8 & 0xFF) == 0x0C && (e.modifiers & cmdKey),
           "command-q keyDown");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == keyUp && (e.modifiers & cmdKey), "its keyUp carries command");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == keyDown && (e.message & 0xFF) == 'A', "shift-a gives 'A'");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == keyUp && !(e.modifiers & cmdKey), "...without command");
    tap_ok(!GetNextEvent(everyEvent, &e) && !(e.modifiers & (shiftKey | cmdKey)),
           "after the script no modifier is left on");
    tap_ok(!ev_script_running(), "the script ran off its count and stopped");
    tap_ok(ev_check(), "state consistent");
}

static void test_late_pump(void)
{
    static const ev_step s[] = {
        { .op = evStepPause, .ticks = 10 },
        { .op = evStepDown },
        { .op = evStepPause, .ticks = 10 },
        { .op = evStepUp },
        { .op = evStepMove, .where = { .v = 700, .h = 900 }, .ticks = 100 },
        { .op = evStepEnd },
    };
    EventRecord e;
    fresh(0);
    ev_script_start(s, 6);
    plat_host_set_ticks(1000);    /* the pump was away for the whole script */
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseDown, "a late pump still posts the mouseDown");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseUp, "...and the mouseUp");
    tap_ok(g_ev.mouse.h == 900 && g_ev.mouse.v == 700 && !ev_script_running(),
           "...and the glide finished: the timeline is kept");
}

/* More keys due at once than the queue holds: each waits for room instead of
 * pushing the oldest out, so every keystroke arrives, in order. */
static void test_late_pump_full_queue(void)
{
    enum { KEYS = 40 };   /* 80 events (down and up) against 32 slots */
    static ev_step s[2 * KEYS + 1];
    static const UInt8 codes[4] = { 0x00, 0x01, 0x02, 0x03 };   /* a s d f */
    for (int i = 0; i < KEYS; i++) {
        s[2 * i] = (ev_step){ .op = evStepKey, .keyCode = codes[i % 4] };
        s[2 * i + 1] = (ev_step){ .op = evStepPause, .ticks = 1 };
    }
    s[2 * KEYS] = (ev_step){ .op = evStepEnd };
    EventRecord e;
    fresh(0);
    ev_script_start(s, 2 * KEYS + 1);
    plat_host_set_ticks(1000);    /* every step is due before the first pump */
    int downs = 0, in_order = 1;
    while (GetNextEvent(everyEvent, &e)) {
        if (e.what == keyDown)
            in_order &= (e.message & 0xFF) == (unsigned long)"asdf"[downs++ % 4];
    }
    TAP_EQ(downs, KEYS, "a late pump with more keys due than the queue holds delivers every keyDown");
    tap_ok(in_order, "...in the script's order");
    tap_ok(!ev_script_running() && ev_check(), "...and the script ran to its end");
}

static void test_bad_scripts(void)
{
    static const ev_step bad_op[] = { { .op = evStepMove }, { .op = (ev_step_op)9 }, { .op = evStepEnd } };
    static const ev_step bad_key[] = { { .op = evStepKey, .keyCode = 128 } };
    static const ev_step after_end[] = { { .op = evStepEnd }, { .op = (ev_step_op)9 } };
    static const ev_step offscreen[] = { { .op = evStepMove, .where = { .v = -50, .h = 5000 } } };
    fresh(0);
    TAP_EQ(ev_script_start(NULL, 3), paramErr, "a NULL script is refused");
    TAP_EQ(ev_script_start(bad_op, 3), paramErr, "an unknown op is refused");
    TAP_EQ(ev_script_start(bad_key, 1), paramErr, "a key code past 127 is refused");
    tap_ok(!ev_script_running(), "nothing started");
    TAP_EQ(ev_script_start(after_end, 2), noErr, "what follows the end step is not looked at");
    tap_ok(!ev_script_running(), "an empty script ends at once");
    TAP_EQ(ev_script_start(offscreen, 1), noErr, "a move off the screen is accepted");
    ev_pump();
    tap_ok(g_ev.mouse.h == 1023 && g_ev.mouse.v == 0, "...and pinned to the bounds");
    tap_ok(ev_check(), "state consistent");
}

static void test_stop(void)
{
    static const ev_step s[] = { { .op = evStepDown }, { .op = evStepPause, .ticks = 1000 }, { .op = evStepUp } };
    EventRecord e;
    fresh(0);
    ev_script_start(s, 3);
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseDown, "script pressed the button");
    ev_script_stop();
    tap_ok(!Button(), "stopping releases the script's button");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseUp, "...with a mouseUp");
    tap_ok(!ev_script_running(), "stopped");

    /* The platform's button and the script's combine: one pair of events. */
    ev_script_start(s, 3);
    plat_input in = { .kind = PLAT_INPUT_MOUSE, .button = true };
    plat_host_push_input(&in);
    ev_pump();
    TAP_EQ(g_ev.count, 1, "platform and script both down: a single mouseDown");
    in.button = false;
    plat_host_push_input(&in);
    ev_pump();
    tap_ok(Button(), "the script still holds the button after the platform lets go");
    TAP_EQ(g_ev.count, 1, "...so no mouseUp yet");
    ev_script_stop();
    TAP_EQ(g_ev.count, 2, "the mouseUp comes when both are up");
    tap_ok(ev_check(), "state consistent");
}

/* Down, wait for the tracker, hold 5 ticks, up: the release is timed from
 * the StillDown that saw the press, not from the press. */
static void test_tracked(void)
{
    static const ev_step s[] = {
        { .op = evStepMove, .where = { .v = 40, .h = 30 } },
        { .op = evStepDown },
        { .op = evStepTracked },
        { .op = evStepPause, .ticks = 5 },
        { .op = evStepUp },
        { .op = evStepEnd },
    };
    EventRecord e;
    fresh(100);
    TAP_EQ(ev_script_start(s, 6), noErr, "a script with a tracked step starts");
    tap_ok(!StillDown() && EventAvail(mDownMask, &e), "the mouseDown is posted; StillDown is false while it waits in the queue");
    plat_host_set_ticks(200);
    tap_ok(!EventAvail(mUpMask, &e) && ev_script_running() && ev_check(),
           "a StillDown that saw no press does not end the step (tick 200)");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseDown && e.when == 100, "the application takes the mouseDown");
    plat_host_set_ticks(900);
    tap_ok(!EventAvail(mUpMask, &e) && Button(), "with no tracking loop the release waits (tick 900)");
    tap_ok(StillDown(), "a tracking loop sees the press at tick 900");
    plat_host_set_ticks(904);
    tap_ok(!EventAvail(mUpMask, &e) && ev_check(), "four ticks after it the button is still held");
    plat_host_set_ticks(905);
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseUp && e.when == 905 && e.where.h == 30 && e.where.v == 40,
           "the release comes 5 ticks after the tracking loop saw the press (tick %u)", (unsigned)e.when);
    tap_ok(!ev_script_running() && ev_check(), "the script ran to its end");

    fresh(0);
    ev_script_start(s, 6);
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == mouseDown && StillDown(), "pressed and seen at once");
    ev_script_stop();
    tap_ok(!g_ev.awaiting_track && ev_check(), "stopping a script ends its tracked step");
}

int main(void)
{
    test_glide();
    test_clicks_and_keys();
    test_late_pump();
    test_late_pump_full_queue();
    test_bad_scripts();
    test_stop();
    test_tracked();
    return tap_done();
}
