/*
 * qd_rect.c - Point and Rect arithmetic (Imaging With QuickDraw ch. 2).
 * A rectangle covers the pixels h in [left, right), v in [top, bottom);
 * it is empty when bottom <= top or right <= left. Results that would be
 * empty come back as 0,0,0,0 where Inside Macintosh says so (SectRect,
 * InsetRect); UnionRect, as Apple's, encloses empty operands too.
 */
#include "qd_internal.h"

void SetPt(Point *pt, short h, short v) { pt->h = h; pt->v = v; }
void AddPt(Point src, Point *dst) { dst->h = (short)(dst->h + src.h); dst->v = (short)(dst->v + src.v); }
void SubPt(Point src, Point *dst) { dst->h = (short)(dst->h - src.h); dst->v = (short)(dst->v - src.v); }
Boolean EqualPt(Point a, Point b) { return a.h == b.h && a.v == b.v; }

void SetRect(Rect *r, short left, short top, short right, short bottom)
{
    *r = (Rect){ top, left, bottom, right };
}

void OffsetRect(Rect *r, short dh, short dv)
{
    r->left = (short)(r->left + dh);
    r->right = (short)(r->right + dh);
    r->top = (short)(r->top + dv);
    r->bottom = (short)(r->bottom + dv);
}

void InsetRect(Rect *r, short dh, short dv)
{
    Rect t = { (short)(r->top + dv), (short)(r->left + dh), (short)(r->bottom - dv), (short)(r->right - dh) };
    *r = EmptyRect(&t) ? (Rect){ 0, 0, 0, 0 } : t;
}

Boolean EmptyRect(const Rect *r)
{
    return r->bottom <= r->top || r->right <= r->left;
}

Boolean SectRect(const Rect *a, const Rect *b, Rect *dst)
{
    Rect t = { (short)qd_max(a->top, b->top), (short)qd_max(a->left, b->left),
               (short)qd_min(a->bottom, b->bottom), (short)qd_min(a->right, b->right) };
    bool ok = !EmptyRect(&t) && !EmptyRect(a) && !EmptyRect(b);
    *dst = ok ? t : (Rect){ 0, 0, 0, 0 };
    return ok;
}

void UnionRect(const Rect *a, const Rect *b, Rect *dst)
{
    *dst = (Rect){ (short)qd_min(a->top, b->top), (short)qd_min(a->left, b->left),
                   (short)qd_max(a->bottom, b->bottom), (short)qd_max(a->right, b->right) };
}

Boolean PtInRect(Point pt, const Rect *r)
{
    return pt.h >= r->left && pt.h < r->right && pt.v >= r->top && pt.v < r->bottom;
}

void Pt2Rect(Point a, Point b, Rect *dst)
{
    *dst = (Rect){ (short)qd_min(a.v, b.v), (short)qd_min(a.h, b.h), (short)qd_max(a.v, b.v), (short)qd_max(a.h, b.h) };
}

Boolean EqualRect(const Rect *a, const Rect *b)
{
    return a->top == b->top && a->left == b->left && a->bottom == b->bottom && a->right == b->right;
}
