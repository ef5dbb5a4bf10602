"""The back office as staff use it, on a laptop and on a phone-sized screen: the work queue on the
home page, an order's actions as buttons, a bank refund paid to an account chosen from a list,
and a shopper found by a phone written any way and by an order number."""

import re

from playwright.sync_api import expect

from .conftest import snapshot


def _work_waiting():
    """A return received and waiting for its refund, a new one to approve, and a failed refund."""
    from orders import services
    from orders.models import Order, Refund

    delivered = Order.objects.get(customer__email="demo@example.com", status="delivered")
    first, second = delivered.items.all()[:2]
    received = services.return_create(
        order=delivered,
        lines=[services.ReturnRequestLine(order_item=first, quantity=1, reason="Lid cracked", resolution="refund")],
    )
    services.return_approve(order_return=received)
    services.return_receive(order_return=received)
    services.return_create(
        order=delivered,
        lines=[services.ReturnRequestLine(order_item=second, quantity=1, reason="Too small", resolution="refund")],
    )
    from orders.tests.factories import place

    paid = place(delivered.customer)  # the demo's own paid order stays waiting to ship
    refund = Refund.objects.get(order=services.order_cancel(order=paid, reason="Out of stock"))
    services.refund_fail(refund=refund, remarks="Card expired")
    return received


def _count(page, label) -> int:
    line = page.locator(".work-queue li", has_text=label)
    return int(line.locator("strong").inner_text())


def test_staff_work_the_queue_act_on_an_order_refund_to_a_bank_and_find_a_shopper(page):
    from orders.models import Order, OrderReturn, Refund

    received = _work_waiting()
    shipped = Order.objects.get(customer__email="demo@example.com", status="shipped")

    page.goto("/admin/")
    page.get_by_label(re.compile("Email")).fill("admin@example.com")
    page.get_by_label("Password").fill("admin-pass-123")
    page.get_by_role("button", name="Log in").click()

    # The home page says what waits, each count a link to exactly those rows.
    queue = page.get_by_role("region", name="Waiting for you")
    expect(queue).to_be_visible()
    assert _count(page, "Returns to approve") == 1
    assert _count(page, "Refunds that failed") == 1
    assert _count(page, "Orders to ship") == Order.objects.filter(status="confirmed").count() == 1
    snapshot(page, "back-office-home")
    queue.get_by_role("link", name=re.compile("Refunds that failed")).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("Failed")

    # An order's actions are buttons; pressing one runs it and shows what comes next.
    page.goto(f"/admin/orders/order/{shipped.pk}/change/")
    actions = page.get_by_role("region", name="Actions you can take now")
    expect(actions.get_by_role("button")).to_have_text(["Mark out for delivery", "Mark delivered"])
    snapshot(page, "back-office-order-actions")
    actions.get_by_role("button", name="Mark out for delivery").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Out for delivery: 1 done.")
    expect(actions.get_by_role("button")).to_have_text(["Mark delivered"])
    assert shipped.shipments.get().status == "out_for_delivery"

    # A bank refund: the account is chosen among the shopper's verified ones, not typed.
    page.goto("/admin/orders/orderreturn/")
    page.locator(f'input[name="_selected_action"][value="{received.pk}"]').check()
    page.locator('select[name="action"]').select_option("complete")
    page.get_by_role("button", name=re.compile("^Go|^Run")).click()
    expect(page.get_by_role("heading", name="Complete returns")).to_be_visible()
    expect(page.get_by_label("Bank account id")).to_have_count(0)
    page.get_by_label("Refund mode").select_option("bank-transfer")
    account = page.get_by_label("Bank account")
    expect(account.locator("option")).to_have_count(2)  # "Choose a verified account" and the one account
    from customers.models import BankAccount

    verified = BankAccount.objects.get(customer__email="demo@example.com", is_verified=True)
    expect(account.locator("option").nth(1)).to_contain_text(f"HDFC Bank ···· {verified.masked_number[-4:]}")
    account.select_option(verified.pk)
    snapshot(page, "back-office-bank-refund")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Completed: 1 done.")
    assert OrderReturn.objects.get(pk=received.pk).status == "complete"
    assert Refund.objects.get(order_return=received).bank_account.customer.email == "demo@example.com"

    # A shopper found by a phone as people write it, and by an order number.
    for term in ("+91 98765 43210", shipped.number):
        page.goto("/admin/accounts/user/")
        page.locator("#searchbar").fill(term)
        page.locator("#searchbar").press("Enter")
        expect(page.locator("#result_list tbody tr")).to_have_count(1)
        expect(page.locator("#result_list tbody")).to_contain_text("demo@example.com")
    snapshot(page, "back-office-user-search")
