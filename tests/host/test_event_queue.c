/*
 * test_event_queue.c - host tests for the Event Manager's queue and the
 * platform source: PostEvent and the event mask, the oldest-first order,
 * dropping the oldest when full, FlushEvents' stop mask, GetOSEvent against
 * OSEventAvail, the mouse and keyboard from plat_input (position pinned to
 * the bounds, button events only on change, key map, modifiers, the US
 * layout, auto-key timing), Button/StillDown/WaitMouseUp, WaitNextEvent's
 * sleep and mouse region, GetMouse in a port's local coordinates, and a
 * seeded random run against a plain model of the queue. ev_check runs after every
 * step. The clock is the host's fake tick counter.
 */
#include "Events.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/Toolbox/EventMgr/event_internal.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

static const Rect g_screen = { 0, 0, 768, 1024 };

static void fresh(void)
{
    plat_host_flush_input();
    plat_host_set_ticks(1000);
    ev_init(&g_screen);
}

static void checked(const char *what)
{
    if (!ev_check())
        tap_ok(false, "ev_check after %s", what);
}

static void push_mouse(int dh, int dv, bool button)
{
    plat_input in = { .kind = PLAT_INPUT_MOUSE, .dh = (int16_t)dh, .dv = (int16_t)dv, .button = button };
    plat_host_push_input(&in);
}

static void push_key(UInt8 code, bool down)
{
    plat_input in = { .kind = PLAT_INPUT_KEY, .key_code = code, .key_down = down };
    plat_host_push_input(&in);
}

/* The global mouse after draining the sources. */
static void mouse_now(Point *p)
{
    ev_pump();
    *p = g_ev.mouse;
}

static int queued(void)
{
    return (int)g_ev.count;
}

static void test_post_and_mask(void)
{
    EventRecord e;
    fresh();
    TAP_EQ(queued(), 0, "a fresh queue is empty");
    tap_ok(!GetNextEvent(everyEvent, &e) && e.what == nullEvent, "empty queue gives a null event and false");
    TAP_EQ(e.when, 1000, "the null event carries the time");
    TAP_EQ(e.where.h, 512, "...and the mouse (centre of the bounds), h");
    TAP_EQ(e.where.v, 384, "...v");
    TAP_EQ(e.modifiers & btnState, btnState, "btnState is set while the button is up");

    TAP_EQ(PostEvent(keyUp, 0x0C71), evtNotEnb, "keyUp is not enabled by default");
    TAP_EQ(PostEvent(nullEvent, 0), evtNotEnb, "a null event cannot be posted");
    TAP_EQ(PostEvent(16, 0), evtNotEnb, "an unknown kind cannot be posted");
    TAP_EQ(queued(), 0, "refused posts queue nothing");
    SetEventMask(everyEvent);
    TAP_EQ(PostEvent(keyUp, 0x0C71), noErr, "keyUp is posted once enabled");
    SetEventMask(everyEvent & ~mDownMask);
    TAP_EQ(PostEvent(mouseDown, 0), evtNotEnb, "mouseDown refused when masked out");

    plat_host_set_ticks(1234);
    TAP_EQ(PostEvent(keyDown, 0x0061), noErr, "keyDown posted");
    TAP_EQ(PostEvent(updateEvt, 7), noErr, "updateEvt posted");
    TAP_EQ(queued(), 3, "three queued");

    tap_ok(EventAvail(keyDownMask, &e) && e.what == keyDown && e.message == 0x61 && e.when == 1234,
           "EventAvail finds the keyDown with its message and time");
    TAP_EQ(queued(), 3, "EventAvail leaves it queued");
    tap_ok(GetNextEvent(keyDownMask | updateMask, &e) && e.what == keyDown,
           "GetNextEvent takes the oldest matching event first (keyDown before update)");
    tap_ok(GetOSEvent(everyEvent, &e) && e.what == keyUp, "the older keyUp is still first overall");
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == updateEvt && e.message == 7, "then the update");
    TAP_EQ(queued(), 0, "all taken");
    checked("post and mask");
}

static void test_full_queue(void)
{
    EventRecord e;
    fresh();
    for (unsigned i = 0; i < ev_queue_capacity + 5; i++)
        PostEvent(keyDown, i);
    TAP_EQ(queued(), ev_queue_capacity, "a full queue stays at its capacity");
    tap_ok(GetNextEvent(everyEvent, &e) && e.message == 5, "the five oldest were dropped");
    unsigned want = 6;
    bool order = true;
    while (GetNextEvent(everyEvent, &e))
        order &= e.message == want++;
    tap_ok(order && want == ev_queue_capacity + 5, "the rest come out oldest first");
    checked("full queue");
}

static void test_flush(void)
{
    EventRecord e;
    fresh();
    PostEvent(mouseDown, 1);
    PostEvent(keyDown, 2);
    PostEvent(mouseUp, 3);
    PostEvent(updateEvt, 4);
    PostEvent(keyDown, 5);
    FlushEvents(keyDownMask, updateMask);
    TAP_EQ(queued(), 4, "FlushEvents removes only keyDowns before the first update");
    tap_ok(GetNextEvent(everyEvent, &e) && e.message == 1, "mouseDown kept");
    tap_ok(GetNextEvent(everyEvent, &e) && e.message == 3, "mouseUp kept, keyDown 2 gone");
    tap_ok(GetNextEvent(everyEvent, &e) && e.message == 4, "update kept");
    tap_ok(GetNextEvent(everyEvent, &e) && e.message == 5, "keyDown after the stop event kept");
    PostEvent(keyDown, 6);
    PostEvent(mouseDown, 7);
    FlushEvents(everyEvent, 0);
    TAP_EQ(queued(), 0, "FlushEvents(everyEvent, 0) empties the queue");
    checked("flush");
}

static void test_mouse(void)
{
    EventRecord e;
    Point p;
    fresh();
    push_mouse(10, -20, false);
    mouse_now(&p);
    TAP_EQ(p.h, 522, "relative motion moves the mouse, h");
    TAP_EQ(p.v, 364, "...v (platform +v is down)");
    TAP_EQ(queued(), 0, "motion alone posts nothing");
    push_mouse(-5000, -5000, false);
    mouse_now(&p);
    tap_ok(p.h == 0 && p.v == 0, "pinned to the top-left of the bounds");
    push_mouse(30000, 30000, false);
    mouse_now(&p);
    tap_ok(p.h == 1023 && p.v == 767, "pinned to the last pixel, right and bottom exclusive");
    checked("mouse motion");

    push_mouse(-23, -7, true);
    tap_ok(Button(), "Button is true while down");
    tap_ok(!StillDown(), "StillDown is false while the mouseDown is still queued");
    tap_ok(GetNextEvent(mDownMask, &e) && e.what == mouseDown && e.where.h == 1000 && e.where.v == 760,
           "mouseDown where the mouse went down");
    TAP_EQ(e.modifiers & btnState, 0, "btnState clear while the button is down");
    push_mouse(1, 0, true);
    tap_ok(StillDown(), "StillDown after the mouseDown is taken and the button stays down");
    TAP_EQ(queued(), 0, "a report with the same button posts nothing");
    tap_ok(WaitMouseUp(), "WaitMouseUp is true while still down");
    push_mouse(0, 0, false);
    tap_ok(!Button(), "Button false after the release");
    TAP_EQ(queued(), 1, "the release posts one mouseUp");
    tap_ok(!WaitMouseUp(), "WaitMouseUp false after the release...");
    TAP_EQ(queued(), 0, "...and it removed the mouseUp");
    checked("mouse button");
}

static void test_keys(void)
{
    EventRecord e;
    KeyMap km;
    const UInt8 *kb = (const UInt8 *)km;
    fresh();
    push_key(0x38, true);       /* shift */
    push_key(0x00, true);       /* a */
    GetKeys(km);
    tap_ok(kb[0x38 >> 3] & (1 << (0x38 & 7)), "GetKeys: shift down (byte 7 bit 0)");
    tap_ok(kb[0] & 1, "GetKeys: key code 0 down (byte 0 bit 0)");
    TAP_EQ(queued(), 1, "the modifier key posts nothing, the letter one keyDown");
    tap_ok(GetNextEvent(keyDownMask, &e) && (e.message & charCodeMask) == 'A' &&
               (e.message & keyCodeMask) >> 8 == 0x00,
           "shift-a gives 'A' with key code 0");
    tap_ok(e.modifiers & shiftKey, "shiftKey in the modifiers");
    push_key(0x00, false);
    push_key(0x38, false);
    GetKeys(km);
    tap_ok(kb[0] == 0 && kb[7] == 0, "GetKeys: released keys are up");
    TAP_EQ(queued(), 0, "keyUp not posted while masked out (the default)");

    SetEventMask(everyEvent);
    push_key(0x3B, true);       /* control */
    push_key(0x08, true);       /* c */
    push_key(0x08, false);
    push_key(0x3B, false);
    tap_ok(GetNextEvent(keyDownMask, &e) && (e.message & charCodeMask) == 3 && (e.modifiers & controlKey),
           "control-c gives character 3");
    tap_ok(GetNextEvent(keyUpMask, &e) && (e.message & keyCodeMask) >> 8 == 0x08, "and a keyUp when enabled");

    push_key(0x39, true);       /* caps lock press toggles alphaLock */
    push_key(0x39, false);
    push_key(0x0C, true);       /* q */
    push_key(0x0C, false);
    tap_ok(GetNextEvent(keyDownMask, &e) && (e.message & 0xFF) == 'Q' && (e.modifiers & alphaLock),
           "caps lock: letters upper case");
    push_key(0x12, true);       /* 1 */
    push_key(0x12, false);
    tap_ok(GetNextEvent(keyDownMask, &e) && (e.message & 0xFF) == '1', "caps lock leaves digits alone");
    push_key(0x39, true);
    push_key(0x39, false);
    EventAvail(0, &e);
    TAP_EQ(e.modifiers & alphaLock, 0, "a second press turns caps lock off");
    FlushEvents(everyEvent, 0);

    TAP_EQ(ev_key_char(0x24, 0), 0x0D, "return is 0x0D");
    TAP_EQ(ev_key_char(0x7B, 0), 0x1C, "left arrow is 0x1C");
    TAP_EQ(ev_key_char(0x2A, shiftKey), '|', "shift-backslash is |");
    TAP_EQ(ev_key_char(0x37, 0), 0, "command alone has no character");
    TAP_EQ(ev_key_char(200, 0), 0, "a code past 127 has no character");
    push_key(200, true);
    TAP_EQ(queued(), 0, "a key code past 127 from the platform is ignored");
    checked("keys");
}

static void test_autokey(void)
{
    EventRecord e;
    fresh();
    plat_host_set_ticks(5000);
    push_key(0x0E, true);       /* e */
    tap_ok(GetNextEvent(everyEvent, &e) && e.what == keyDown, "keyDown at 5000");
    plat_host_set_ticks(5000 + ev_key_thresh - 1);
    tap_ok(!EventAvail(autoKeyMask, &e), "no auto-key before the threshold");
    plat_host_set_ticks(5000 + ev_key_thresh);
    tap_ok(GetNextEvent(autoKeyMask, &e) && (e.message & 0xFF) == 'e', "auto-key at the threshold");
    plat_host_set_ticks(5000 + ev_key_thresh + ev_key_rep_thresh - 1);
    tap_ok(!EventAvail(autoKeyMask, &e), "no repeat before the repeat interval");
    plat_host_set_ticks(5000 + ev_key_thresh + ev_key_rep_thresh);
    tap_ok(GetNextEvent(autoKeyMask, &e), "repeat after the interval");
    push_key(0x0E, false);
    plat_host_set_ticks(9000);
    tap_ok(!EventAvail(autoKeyMask, &e), "no auto-key once released");
    checked("autokey");
}

static void test_wait_and_local(void)
{
    EventRecord e;
    static UInt32 pixels[64 * 48];
    fresh();
    plat_host_set_ticks(2000);
    tap_ok(!WaitNextEvent(everyEvent, &e, 30, NULL) && e.what == nullEvent, "WaitNextEvent with nothing queued: null event");
    TAP_EQ(TickCount(), 2030, "...after sleeping exactly its 30 ticks");
    tap_ok(!WaitNextEvent(everyEvent, &e, 0, NULL) && TickCount() == 2030, "sleep 0 returns at once");
    PostEvent(keyDown, 'x');
    tap_ok(WaitNextEvent(everyEvent, &e, 1000, NULL) && e.what == keyDown && TickCount() == 2030,
           "a queued event returns without sleeping");

    RgnHandle rgn = NewRgn();
    SetRectRgn(rgn, 500, 380, 520, 400);     /* the mouse (512,384) is inside */
    tap_ok(!WaitNextEvent(everyEvent, &e, 5, rgn), "mouse inside mouseRgn: no mouse-moved event");
    push_mouse(40, 0, false);
    tap_ok(WaitNextEvent(everyEvent, &e, 5, rgn) && e.what == osEvt &&
               (e.message >> 24) == mouseMovedMessage && e.where.h == 552,
           "mouse outside mouseRgn: a mouse-moved osEvt at the new point");
    tap_ok(!WaitNextEvent(everyEvent & ~osMask, &e, 2, rgn), "...but not when osEvt is masked out");
    DisposeRgn(rgn);

    Point p;
    qd.thePort = NULL;
    GetMouse(&p);
    tap_ok(p.h == 552 && p.v == 384, "GetMouse without a port: global coordinates");
    static GrafPort port;
    TAP_EQ(qd_set_screen(pixels, 64 * 4, 64, 48), noErr, "a small screen for a port");
    InitGraf(&qd.thePort);
    OpenPort(&port);
    port.portBits.bounds = (Rect){ -100, -500, -52, -436 };   /* a window whose top-left is at (500,100) */
    GetMouse(&p);
    tap_ok(p.h == 52 && p.v == 284, "GetMouse: local coordinates of the current port (%d,%d)", p.h, p.v);
    ClosePort(&port);
    qd.thePort = NULL;
    checked("wait and local");
}

/* ---- random run against a model ---------------------------------------------- */

typedef struct model_ev {
    EventKind what;
    unsigned long msg;
} model_ev;

static model_ev g_model[ev_queue_capacity];
static int g_model_n;

static uint64_t g_rng = 0x2545F4914F6CDD1Dull;
static unsigned rnd(unsigned n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (unsigned)(g_rng % n);
}

static void model_post(EventKind w, unsigned long m)
{
    if (g_model_n == ev_queue_capacity) {
        memmove(g_model, g_model + 1, sizeof g_model[0] * (ev_queue_capacity - 1));
        g_model_n--;
    }
    g_model[g_model_n++] = (model_ev){ w, m };
}

static int model_find(EventMask mask)
{
    for (int i = 0; i < g_model_n; i++)
        if (mask & (1u << g_model[i].what))
            return i;
    return -1;
}

static void model_remove(int i)
{
    memmove(g_model + i, g_model + i + 1, sizeof g_model[0] * (size_t)(g_model_n - i - 1));
    g_model_n--;
}

static void test_random(void)
{
    static const EventKind kinds[] = { mouseDown, mouseUp, keyDown, keyUp, autoKey, updateEvt, activateEvt, osEvt };
    EventRecord e;
    int mismatches = 0;
    fresh();
    SetEventMask(everyEvent);
    g_model_n = 0;
    for (int step = 0; step < 200000 && mismatches < 5; step++) {
        EventMask mask = (EventMask)(1u << kinds[rnd(8)] | (rnd(4) ? 0 : 1u << kinds[rnd(8)]));
        switch (rnd(5)) {
        case 0:
        case 1: {
            EventKind w = kinds[rnd(8)];
            unsigned long m = (unsigned long)step << 8 | 0xABull << 40;
            PostEvent(w, m);
            model_post(w, m);
            break;
        }
        case 2: {
            int i = model_find(mask);
            bool got = GetNextEvent(mask, &e);
            if (got != (i >= 0) || (got && (e.what != g_model[i].what || e.message != g_model[i].msg)))
                mismatches++;
            if (i >= 0)
                model_remove(i);
            break;
        }
        case 3: {
            int i = model_find(mask);
            bool got = EventAvail(mask, &e);
            if (got != (i >= 0) || (got && e.message != g_model[i].msg))
                mismatches++;
            break;
        }
        case 4: {
            EventMask stop = rnd(2) ? (EventMask)(1u << kinds[rnd(8)]) : 0;
            FlushEvents(mask, stop);
            for (int i = 0; i < g_model_n;) {
                if (stop & (1u << g_model[i].what))
                    break;
                if (mask & (1u << g_model[i].what))
                    model_remove(i);
                else
                    i++;
            }
            break;
        }
        }
        if (queued() != g_model_n || !ev_check())
            mismatches++;
    }
    TAP_EQ(mismatches, 0, "200000 random queue operations agree with the model");
}

int main(void)
{
    if (!mt_install(1 << 20, 4 << 20, 0))
        return 2;
    test_post_and_mask();
    test_full_queue();
    test_flush();
    test_mouse();
    test_keys();
    test_autokey();
    test_wait_and_local();
    test_random();
    return tap_done();
}
