"""Before/after screenshots for issue 26 (a plain script, not a test: pytest collects test_*.py only).

Two steps, each run once per checkout (the "before" commit and main), on its own SQLite file:

1. Data. After `manage.py migrate` and `seed_demo`, make the orders the shots need with that
   checkout's own services and factories, and write their numbers to a JSON file:

       DEBUG=1 DATABASE_URL=sqlite:////tmp/before.sqlite3 \\
           .venv/bin/python bench/screenshots_issue26.py data --checkout /work/wt-before > /tmp/before.json

   - an order whose only shipment is out for delivery;
   - a delivered order with a completed return whose refund is still pending (one item for a
     refund, one for a replacement, settled to the original payment: no gateway confirms it).

2. Shots. With `manage.py runserver` running on that database:

       .venv/bin/python bench/screenshots_issue26.py shoot --url http://127.0.0.1:8101 \\
           --data /tmp/before.json --label before --out docs/screenshots/issue-26

   At 390 and 1280 px, full page: the out-for-delivery order's page, the return (its own page
   where the checkout has one, plus its order's page as `order-with-return`; else the order page
   that holds the return section), and the admin change page of the returned order. Saves `<label>-<shot>-<width>.png`, optimised with
   Pillow; a PNG still over 400 KB is saved as JPEG quality 70 instead (`.jpg`).

Chromium is Debian's (/usr/bin/chromium, CHROMIUM_PATH); never `playwright install`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = (390, 1280)
PNG_LIMIT = 400 * 1024

# Run inside the checkout's `manage.py shell`: only services and factories both commits have.
DATA_CODE = r"""
import json
from accounts.models import User
from orders import services
from orders.models import Order, Resolution
from orders.tests.factories import delivered, shipped

shopper = User.objects.get(email="demo@example.com")

returned = delivered(shopper, quantities=(2, 1))
first, second = returned.items.order_by("pk")
order_return = services.return_create(
    order=returned,
    lines=[
        services.ReturnRequestLine(order_item=first, quantity=1, reason="Arrived damaged", resolution=Resolution.REFUND),
        services.ReturnRequestLine(order_item=second, quantity=1, reason="Wrong item", resolution=Resolution.REPLACEMENT),
    ],
)
services.return_approve(order_return=order_return)
services.return_receive(order_return=order_return)
order_return = services.return_complete(order_return=order_return)
refund = order_return.refunds.get()

out = shipped(shopper)
services.shipment_out_for_delivery(shipment=out.shipments.get())

print(json.dumps({
    "out_for_delivery": {"number": out.number, "pk": str(out.pk)},
    "returned": {"number": returned.number, "pk": str(returned.pk)},
    "return": {"number": order_return.request_number, "status": order_return.status},
    "refund": {"number": refund.request_number, "status": refund.status},
}))
"""


def make_data(checkout: Path) -> None:
    python = checkout / ".venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), "manage.py", "shell", "-c", DATA_CODE],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    # The last line is ours; the services may print their own (console messages) before it.
    print(result.stdout.strip().splitlines()[-1])


def save(png: bytes, target: Path) -> Path:
    """An optimised PNG, or a JPEG (quality 70) when the PNG stays over PNG_LIMIT."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    if buffer.tell() > PNG_LIMIT:
        target = target.with_suffix(".jpg")
        image.save(target, "JPEG", quality=70, optimize=True)
    else:
        target.write_bytes(buffer.getvalue())
    return target


def shoot(url: str, data: dict, label: str, out: Path, shopper: tuple[str, str], staff: tuple[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    ofd, returned, ret = data["out_for_delivery"], data["returned"], data["return"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            context = browser.new_context(base_url=url, viewport={"width": width, "height": 900})
            page = context.new_page()

            page.goto("/account/sign-in/")
            # By field name: the label changed between the commits ("Email or phone number").
            page.locator("form input[name=username]").fill(shopper[0])
            page.locator("form input[name=password]").fill(shopper[1])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda u: "sign-in" not in u)

            shots = [("order-out-for-delivery", f"/account/orders/{ofd['number']}/")]
            # The return's own page (after); before there was none, and the return was a section
            # of its order's page.
            own = f"/account/orders/{returned['number']}/returns/{ret['number']}/"
            order_page = f"/account/orders/{returned['number']}/"
            if page.request.get(own).ok:
                # and the order page's return section, which is what "before" shows
                shots += [("return", own), ("order-with-return", order_page)]
            else:
                shots.append(("return", order_page))
            for name, path in shots:
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = save(page.screenshot(full_page=True), out / f"{label}-{name}-{width}.png")
                print(f"{target}  <- {path}")

            page.context.clear_cookies()
            page.goto("/admin/login/")
            page.locator("#id_username").fill(staff[0])
            page.locator("#id_password").fill(staff[1])
            page.locator("input[type=submit], button[type=submit]").first.click()
            page.wait_for_url(lambda u: "/admin/login/" not in u)
            path = f"/admin/orders/order/{returned['pk']}/change/"
            page.goto(path)
            page.wait_for_load_state("networkidle")
            target = save(page.screenshot(full_page=True), out / f"{label}-admin-order-{width}.png")
            print(f"{target}  <- {path}")
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    data = steps.add_parser("data", help="make the orders in a checkout's database; print their numbers (JSON)")
    data.add_argument("--checkout", type=Path, default=Path.cwd())
    shots = steps.add_parser("shoot", help="take the screenshots from a running server")
    shots.add_argument("--url", required=True)
    shots.add_argument("--data", type=Path, required=True, help="the JSON the data step printed")
    shots.add_argument("--label", required=True, help="before / after: the files' prefix")
    shots.add_argument("--out", type=Path, default=Path("docs/screenshots/issue-26"))
    shots.add_argument("--shopper", nargs=2, default=("demo@example.com", "demo-pass-123"), metavar=("LOGIN", "PW"))
    shots.add_argument("--staff", nargs=2, default=("admin@example.com", "admin-pass-123"), metavar=("LOGIN", "PW"))
    args = parser.parse_args()
    if args.step == "data":
        make_data(args.checkout.resolve())
    else:
        shoot(args.url, json.loads(args.data.read_text()), args.label, args.out, tuple(args.shopper), tuple(args.staff))


if __name__ == "__main__":
    main()
