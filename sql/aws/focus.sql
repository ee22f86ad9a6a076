-- AWS Cost and Usage Report (canonical CUR 2.0 columns, as read_aws_cur returns them) -> FOCUS.
--
-- One output row per CUR line item, so row counts reconcile 1:1. The rules cover every column
-- of FOCUS 1.0 to 1.4 that CUR data can fill; to_focus keeps the ones of the requested version
-- (sql/focus/columns.csv) and types the rest as NULL. Lookup tables: services (product code ->
-- service name and category), regions (code -> name), line_item_types (CUR line item type ->
-- FOCUS charge attributes).
SELECT
    -- Where the spec's amortisation puts covered usage at zero: Savings Plans covered usage is
    -- invoiced through the Savings Plan fee, and its SavingsPlanNegation line only cancels the
    -- on-demand price CUR shows, so both are 0 here and their sum (always 0) is unchanged.
    -- Otherwise the net cost where the payer has discounts (net columns present), else unblended.
    CASE
        WHEN line_item_line_item_type IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation') THEN 0
        ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0)
    END AS BilledCost,

    -- Amortised cost, as AWS defines it for its own "amortized cost" view: commitment-covered
    -- usage carries the commitment's effective cost, fees carry only their unused part, upfront
    -- payments are spread (0 here), negation lines cancel nothing twice.
    CASE line_item_line_item_type
        WHEN 'SavingsPlanCoveredUsage' THEN coalesce(savings_plan_net_savings_plan_effective_cost, savings_plan_savings_plan_effective_cost, 0)
        WHEN 'SavingsPlanNegation' THEN 0
        WHEN 'SavingsPlanUpfrontFee' THEN 0
        WHEN 'SavingsPlanRecurringFee' THEN coalesce(savings_plan_total_commitment_to_date, 0) - coalesce(savings_plan_used_commitment, 0)
        WHEN 'DiscountedUsage' THEN coalesce(reservation_net_effective_cost, reservation_effective_cost, 0)
        WHEN 'RIFee' THEN coalesce(reservation_net_unused_amortized_upfront_fee_for_billing_period, reservation_unused_amortized_upfront_fee_for_billing_period, 0)
            + coalesce(reservation_net_unused_recurring_fee, reservation_unused_recurring_fee, 0)
        WHEN 'Fee' THEN CASE WHEN reservation_reservation_a_r_n IS NOT NULL THEN 0 ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0) END
        ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0)
    END AS EffectiveCost,

    -- The public on-demand cost for usage (`list_cost` = public in line_item_types.csv); charges
    -- without a list price (tax, credits, refunds, fees) use their billed cost, as the spec
    -- prescribes for unrelated charges (CUR writes 0.0 there, which is not their list cost);
    -- discount and negation lines change no list price (zero).
    CASE lookup('line_item_types', line_item_line_item_type, 'list_cost')
        WHEN 'zero' THEN 0
        WHEN 'public' THEN coalesce(pricing_public_on_demand_cost,
            CASE WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage' THEN line_item_unblended_cost
                 ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost) END, 0)
        ELSE CASE
            WHEN line_item_line_item_type IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation') THEN 0
            ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0)
        END
    END AS ListCost,

    -- Negotiated price before commitment discounts: unblended cost is at the account's
    -- negotiated rate; RI-covered usage shows 0 there, so its on-demand equivalent is used.
    CASE line_item_line_item_type
        WHEN 'SavingsPlanNegation' THEN 0
        WHEN 'DiscountedUsage' THEN coalesce(pricing_public_on_demand_cost, 0)
        WHEN 'SavingsPlanCoveredUsage' THEN coalesce(line_item_unblended_cost, 0)
        ELSE coalesce(line_item_net_unblended_cost, line_item_unblended_cost, 0)
    END AS ContractedCost,

    CASE
        WHEN line_item_line_item_type IN ('Tax', 'Credit', 'Refund', 'SavingsPlanNegation') THEN CAST(NULL AS DECIMAL)
        WHEN line_item_line_item_type = 'DiscountedUsage' THEN pricing_public_on_demand_rate
        -- The rate that goes with the cost ContractedCost uses: gross for Savings Plans covered
        -- usage, net where net columns exist, else unblended.
        WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage' THEN line_item_unblended_rate
        WHEN line_item_net_unblended_cost IS NOT NULL THEN coalesce(line_item_net_unblended_rate, line_item_unblended_rate)
        ELSE line_item_unblended_rate
    END AS ContractedUnitPrice,

    CASE WHEN line_item_line_item_type IN ('Tax', 'Credit', 'Refund', 'SavingsPlanNegation') THEN CAST(NULL AS DECIMAL)
         ELSE pricing_public_on_demand_rate END AS ListUnitPrice,

    -- Tax lines carry a usage amount of 1 in CUR; the spec wants no pricing quantity on tax.
    -- A quantity is only meaningful with its unit: where CUR leaves the unit empty (free-tier
    -- and zero-rated lines) both are NULL and the raw amount stays in x_UsageAmount.
    -- Units take FOCUS UnitFormat spelling (Hrs -> Hours, GB-Mo -> GB-Months) from sql/aws/units.csv.
    CASE WHEN line_item_line_item_type <> 'Tax' AND pricing_unit IS NOT NULL THEN line_item_usage_amount END AS PricingQuantity,
    CASE WHEN line_item_line_item_type <> 'Tax' AND line_item_usage_amount IS NOT NULL
         THEN coalesce(lookup('units', pricing_unit, 'focus_unit'), pricing_unit) END AS PricingUnit,

    CASE WHEN lookup('line_item_types', line_item_line_item_type, 'consumed') = 'yes' AND pricing_unit IS NOT NULL THEN line_item_usage_amount END AS ConsumedQuantity,
    CASE WHEN lookup('line_item_types', line_item_line_item_type, 'consumed') = 'yes' AND line_item_usage_amount IS NOT NULL
         THEN coalesce(lookup('units', pricing_unit, 'focus_unit'), pricing_unit) END AS ConsumedUnit,

    -- Line item types FOCUS does not name become Adjustment, never a made-up value.
    coalesce(lookup('line_item_types', line_item_line_item_type, 'charge_category'), 'Adjustment') AS ChargeCategory,
    -- Refunds correct a charge of an earlier invoice.
    lookup('line_item_types', line_item_line_item_type, 'charge_class') AS ChargeClass,
    coalesce(lookup('line_item_types', line_item_line_item_type, 'charge_frequency'), 'One-Time') AS ChargeFrequency,
    line_item_line_item_description AS ChargeDescription,
    line_item_usage_start_date AS ChargePeriodStart,
    line_item_usage_end_date AS ChargePeriodEnd,

    -- Spot usage is dynamically priced; covered usage committed; tax and credits have none.
    CASE
        WHEN line_item_line_item_type = 'Usage' AND line_item_usage_type LIKE '%SpotUsage%' THEN 'Dynamic'
        ELSE lookup('line_item_types', line_item_line_item_type, 'pricing_category')
    END AS PricingCategory,
    CASE WHEN lookup('line_item_types', line_item_line_item_type, 'pricing_category') IS NOT NULL THEN coalesce(pricing_currency, line_item_currency_code) END AS PricingCurrency,

    bill_payer_account_id AS BillingAccountId,
    bill_payer_account_name AS BillingAccountName,
    'Payer Account' AS BillingAccountType,
    line_item_currency_code AS BillingCurrency,
    bill_billing_period_start_date AS BillingPeriodStart,
    bill_billing_period_end_date AS BillingPeriodEnd,
    line_item_usage_account_id AS SubAccountId,
    -- CUR 1.0 carries no account names (CUR 2.0 does); FOCUS requires a name wherever there is
    -- an id, so the id stands in, as the AWS console shows an unnamed account.
    coalesce(line_item_usage_account_name, line_item_usage_account_id) AS SubAccountName,
    'Linked Account' AS SubAccountType,
    bill_invoice_id AS InvoiceId,
    coalesce(bill_invoicing_entity, line_item_legal_entity, 'Amazon Web Services, Inc.') AS InvoiceIssuerName,

    'AWS' AS ProviderName,
    -- The seller of record: AWS's own entity for AWS services, the vendor for Marketplace.
    coalesce(line_item_legal_entity, 'Amazon Web Services, Inc.') AS PublisherName,
    CASE WHEN bill_billing_entity = 'AWS Marketplace' THEN coalesce(line_item_legal_entity, 'AWS Marketplace') ELSE 'AWS' END AS ServiceProviderName,
    'AWS' AS HostProviderName,

    -- Commitments: the ARN of the Savings Plan or Reserved Instance the line belongs to.
    CASE lookup('line_item_types', line_item_line_item_type, 'commitment')
        WHEN 'savings_plan' THEN savings_plan_savings_plan_a_r_n
        WHEN 'reservation' THEN reservation_reservation_a_r_n
    END AS CommitmentDiscountId,
    CASE
        WHEN lookup('line_item_types', line_item_line_item_type, 'commitment') = 'savings_plan' AND savings_plan_savings_plan_a_r_n IS NOT NULL THEN 'Spend'
        WHEN lookup('line_item_types', line_item_line_item_type, 'commitment') = 'reservation' AND reservation_reservation_a_r_n IS NOT NULL THEN 'Usage'
    END AS CommitmentDiscountCategory,
    CASE
        WHEN lookup('line_item_types', line_item_line_item_type, 'commitment') = 'savings_plan' AND savings_plan_savings_plan_a_r_n IS NOT NULL THEN 'Savings Plan'
        WHEN lookup('line_item_types', line_item_line_item_type, 'commitment') = 'reservation' AND reservation_reservation_a_r_n IS NOT NULL THEN 'Reserved Instance'
    END AS CommitmentDiscountType,
    -- Covered usage is Used. CUR carries the unused part of a commitment on its recurring fee
    -- line (RIFee, SavingsPlanRecurringFee), which FOCUS models as a Usage row with status
    -- Unused whose EffectiveCost is the unused amount: that is what those lines become.
    CASE
        WHEN coalesce(savings_plan_savings_plan_a_r_n, reservation_reservation_a_r_n) IS NOT NULL
        THEN lookup('line_item_types', line_item_line_item_type, 'commitment_status')
    END AS CommitmentDiscountStatus,

    capacity_reservation_capacity_reservation_arn AS CapacityReservationId,
    CASE lower(capacity_reservation_capacity_reservation_status) WHEN 'used' THEN 'Used' WHEN 'unused' THEN 'Unused' END AS CapacityReservationStatus,

    line_item_availability_zone AS AvailabilityZone,
    -- Legacy CUR names the region code `product/region`, CUR 2.0 `product_region_code`; reports
    -- with only the display name (`product/location`) get the code from sql/aws/regions.csv.
    coalesce(product_region_code, product['region'], lookup('region_names', product_location, 'region_id')) AS RegionId,
    -- A name only where there is a code (FOCUS); codes newer than regions.csv keep CUR's name.
    CASE WHEN coalesce(product_region_code, product['region'], lookup('region_names', product_location, 'region_id')) IS NOT NULL
         THEN coalesce(lookup('regions', coalesce(product_region_code, product['region'], lookup('region_names', product_location, 'region_id')), 'region_name'),
                       product_location, coalesce(product_region_code, product['region']))
    END AS RegionName,

    line_item_resource_id AS ResourceId,
    -- The last segment of an ARN (arn:aws:ec2:...:instance/i-0abc -> i-0abc; arn:aws:s3:::bucket -> bucket);
    -- plain ids (i-0abc, vol-0abc) are their own name.
    CASE
        WHEN line_item_resource_id LIKE 'arn:%' THEN nullif(regexp_extract(line_item_resource_id, '([^:/]+)$', 1), '')
        ELSE line_item_resource_id
    END AS ResourceName,
    -- The resource type segment of an ARN (instance, volume, function, table ...); plain ids by
    -- their prefix (i-, vol-, snap- ...: sql/aws/resource_id_prefixes.csv); otherwise the product
    -- family CUR gives, so every resource has a type.
    CASE
        WHEN line_item_resource_id IS NULL THEN CAST(NULL AS VARCHAR)
        ELSE coalesce(
            CASE
                WHEN line_item_resource_id LIKE 'arn:%:%:%:%:%/%' THEN nullif(regexp_extract(line_item_resource_id, '^arn:[^:]*:[^:]*:[^:]*:[^:]*:([^/:]+)[/:]', 1), '')
                WHEN line_item_resource_id LIKE 'arn:%:%:%:%:%:%' THEN nullif(regexp_extract(line_item_resource_id, '^arn:[^:]*:[^:]*:[^:]*:[^:]*:([^/:]+):', 1), '')
            END,
            lookup('resource_id_prefixes', regexp_extract(line_item_resource_id, '^([a-z]+(-attach)?)-[0-9a-f]+$', 1), 'resource_type'),
            product_product_family,
            line_item_product_code)
    END AS ResourceType,

    coalesce(product['product_name'], lookup('services', line_item_product_code, 'service_name'), line_item_product_code) AS ServiceName,
    coalesce(lookup('services', line_item_product_code, 'service_category'), 'Other') AS ServiceCategory,
    coalesce(lookup('services', line_item_product_code, 'service_subcategory'), 'Other (Other)') AS ServiceSubcategory,

    product_sku AS SkuId,
    -- The rate code (SKU.OFFER.RATE) identifies a price of one SKU; a bare rate id does not, so
    -- it is qualified by its SKU.
    coalesce(pricing_rate_code, CASE WHEN product_sku IS NOT NULL THEN product_sku || '.' || pricing_rate_id END) AS SkuPriceId,
    line_item_usage_type AS SkuMeter,

    -- User tags lose CUR's `user:` marker (Athena and CUR 2.0 write `user_`); AWS-generated
    -- tags keep their `aws:` prefix; cost categories are keyed `costCategory/<name>`.
    map_json(map_strip_prefix(map_strip_prefix(resource_tags, 'user:'), 'user_'), map_with_prefix(cost_category, 'costCategory/')) AS Tags,

    -- AWS detail FOCUS has no column for.
    line_item_product_code AS x_ServiceCode,
    line_item_usage_type AS x_UsageType,
    line_item_operation AS x_Operation,
    line_item_line_item_type AS x_LineItemType,
    bill_bill_type AS x_BillType,
    bill_billing_entity AS x_BillingEntity,
    identity_line_item_id AS x_LineItemId,
    line_item_unblended_cost AS x_UnblendedCost,
    line_item_usage_amount AS x_UsageAmount,
    pricing_unit AS x_PricingUnit,
    line_item_net_unblended_cost AS x_NetUnblendedCost,
    map_json(discount) AS x_Discounts
FROM cur
