/*
 * cm_track.c - the mouse and controls: TestControl and FindControl say
 * which part of which control a point is in; TrackControl follows the
 * mouse while its button is down, the part highlighted exactly while the
 * mouse is inside it, and reports where the button came up.
 *
 * Only visible, active controls (contrlHilite != 255) in a visible window
 * answer; points are local to the owner. The release point comes from
 * the mouse-up event, so a script whose release has already been queued
 * is judged where it happened.
 */
#include "cm_internal.h"

#include "platform.h"

short TestControl(ControlHandle c, Point p)
{
    if (!cm_arg(c) || !(*c)->contrlVis || (*c)->contrlHilite == kControlInactivePart)
        return 0;
    return cdef_hit(c, p);
}

short FindControl(Point p, WindowPtr w, ControlHandle *which)
{
    if (which)
        *which = NULL;
    if (!cm_window_ok(w)) {
        g_cm_err = paramErr;
        return 0;
    }
    g_cm_err = noErr;
    if (!((WindowPeek)(void *)w)->visible)
        return 0;
    for (ControlHandle c = cm_list(w); c != NULL; c = (*c)->nextControl) {
        short part = TestControl(c, p);
        if (part != 0) {
            if (which)
                *which = c;
            return part;
        }
    }
    return 0;
}

short TrackControl(ControlHandle c, Point start, ControlActionUPP action)
{
    short part = TestControl(c, start);
    if (part == 0)
        return 0;
    if (action == (ControlActionUPP)(intptr_t)-1)
        action = (*c)->contrlAction;
    GrafPtr saved;
    GetPort(&saved);
    SetPort((*c)->contrlOwner);
    bool shown = true;
    HiliteControl(c, part);
    while (StillDown()) {
        Point m;
        GetMouse(&m);
        bool in = cdef_hit(c, m) == part;
        if (in != shown) {
            HiliteControl(c, in ? part : 0);
            shown = in;
        }
        if (in && action)
            action(c, part);
        plat_idle();
    }
    Point end;
    EventRecord up;
    if (GetOSEvent(mUpMask, &up)) {
        end = up.where;
        GlobalToLocal(&end);
    } else {
        GetMouse(&end);
    }
    HiliteControl(c, 0);
    SetPort(saved);
    return cdef_hit(c, end) == part ? part : 0;
}
