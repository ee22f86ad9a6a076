-- The first FinOps question: where does the money go, billed and amortised.
select
    date_trunc('month', BillingPeriodStart) as billing_month,
    ServiceCategory,
    count(*) as line_items,
    sum(BilledCost) as billed_cost,
    sum(EffectiveCost) as effective_cost
from {{ ref('focus_costs') }}
group by all
