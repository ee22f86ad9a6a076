#!/usr/bin/env python3
"""Writes the SYNTHETIC amortized twins the Azure merge tests use. Deterministic: run it again
and the files are byte-identical. No real actual+amortized pair is public, so:

* EA_AmortizedCost_Small_SYNTHETIC.csv is the amortized dataset Cost Management would write for
  ../shared/samples/azure/ea-cost-details/EA_ActualCost_Small.csv, following Microsoft's dataset
  semantics: every non-commitment row unchanged; the reservation purchase (3.25 USD, the month's
  payment) left out and spread instead over the usage it covers, as ten reservation-covered VM
  usage days (24 h x 0.0125 = 0.30 each, PricingModel Reservation) and one UnusedReservation row
  for the 20 unused hours (0.25). The real actual file has no covered-usage rows (they would cost
  0 there and are dropped by the merge anyway).
* SP_ActualCost_SYNTHETIC.csv / SP_AmortizedCost_SYNTHETIC.csv: a hand-made pair with a savings
  plan (purchase 10.00, two covered usage days, 2.50 unused) and a reservation refund (-2.00),
  in the same 55 EA columns.

Usage: python3 test/data/azure/make_synthetic.py [samples_dir]
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "samples")
ACTUAL = os.path.join(SAMPLES, "azure", "ea-cost-details", "EA_ActualCost_Small.csv")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def write(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    # Cost Management writes a UTF-8 BOM; so do we.
    with open(os.path.join(HERE, name), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())


def main():
    header, actual = read(ACTUAL)
    purchases = [r for r in actual if r["ChargeType"] == "Purchase" and r["PricingModel"] == "Reservation"]
    assert len(purchases) == 1 and purchases[0]["Cost"] == "3.25", "the EA sample changed"
    p = purchases[0]
    vm = ("/subscriptions/" + p["SubscriptionId"] + "/resourceGroups/rg-synthetic/providers/"
          "Microsoft.Compute/virtualMachines/vm-synthetic-b1s")
    covered = dict(p, ChargeType="Usage", Frequency="UsageBased", ConsumedService="Microsoft.Compute",
                   ResourceId=vm, ResourceName="vm-synthetic-b1s", ResourceGroup="rg-synthetic",
                   Product="Virtual Machines BS Series - B1s - UK South", PayGPrice="0.0132",
                   UnitPrice="0.0132", EffectivePrice="0.0125")
    amortized = [r for r in actual if r is not p]
    for day in range(21, 31):
        amortized.append(dict(covered, Date=f"09/{day:02d}/2023", Quantity="24", Cost="0.3"))
    amortized.append(dict(covered, ChargeType="UnusedReservation", Date="09/30/2023", Quantity="20",
                          Cost="0.25", ResourceId=p["ResourceId"], ResourceName="", ResourceGroup=""))
    write("EA_AmortizedCost_Small_SYNTHETIC.csv", header, amortized)

    sp = "/providers/Microsoft.BillingBenefits/savingsPlanOrders/00000000-0000-0000-0000-00000000aaaa/savingsPlans/00000000-0000-0000-0000-00000000bbbb"
    base = dict((h, "") for h in header)
    base.update(BillingAccountId="12345678", BillingAccountName="Synthetic EA", BillingProfileId="12345678",
                BillingProfileName="Synthetic EA", BillingPeriodStartDate="10/01/2023",
                BillingPeriodEndDate="10/31/2023", SubscriptionId="00000000-0000-0000-0000-000000000001",
                SubscriptionName="synthetic", BillingCurrency="USD", ResourceLocation="westeurope",
                MeterCategory="Virtual Machines", MeterName="D2s v5", UnitOfMeasure="1 Hour",
                ConsumedService="Microsoft.Compute", IsAzureCreditEligible="True", PublisherType="Azure")
    sp_use = dict(base, ChargeType="Usage", PricingModel="SavingsPlan", Frequency="UsageBased",
                  benefitId=sp, benefitName="sp-synthetic", Quantity="24", PayGPrice="0.2",
                  UnitPrice="0.2", ResourceId="/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1")
    ondemand = dict(base, Date="10/02/2023", ChargeType="Usage", PricingModel="OnDemand", Frequency="UsageBased",
                    Quantity="7.5", EffectivePrice="0.2", UnitPrice="0.2", PayGPrice="0.2", Cost="1.5")
    purchase = dict(base, Date="10/01/2023", ChargeType="Purchase", PricingModel="SavingsPlan", Frequency="Recurring",
                    benefitId=sp, benefitName="sp-synthetic", Quantity="1", Cost="10", UnitPrice="10",
                    EffectivePrice="10", PayGPrice="0", ConsumedService="Microsoft.BillingBenefits", ResourceLocation="")
    ri = "/providers/Microsoft.Capacity/reservationOrders/00000000-0000-0000-0000-00000000cccc/reservations/00000000-0000-0000-0000-00000000dddd"
    refund = dict(base, Date="10/03/2023", ChargeType="Refund", PricingModel="Reservation", Frequency="OneTime",
                  benefitId=ri, benefitName="ri-synthetic", Quantity="1", Cost="-2", UnitPrice="-2",
                  EffectivePrice="-2", PayGPrice="0", ConsumedService="Microsoft.Capacity", ResourceLocation="")
    sp_actual = [purchase,
                 dict(sp_use, Date="10/01/2023", EffectivePrice="0", Cost="0"),
                 dict(sp_use, Date="10/02/2023", EffectivePrice="0", Cost="0"),
                 ondemand, refund]
    sp_amortized = [dict(sp_use, Date="10/01/2023", EffectivePrice="0.15625", Cost="3.75"),
                    dict(sp_use, Date="10/02/2023", EffectivePrice="0.15625", Cost="3.75"),
                    dict(sp_use, Date="10/31/2023", ChargeType="UnusedSavingsPlan", Quantity="1",
                         EffectivePrice="2.5", Cost="2.5", ResourceId=""),
                    ondemand]
    write("SP_ActualCost_SYNTHETIC.csv", header, sp_actual)
    write("SP_AmortizedCost_SYNTHETIC.csv", header, sp_amortized)


if __name__ == "__main__":
    main()
